package studio.lerian.streaming.tck.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.opentest4j.AssertionFailedError;

/** Polls a condition until it holds or a (scaled) timeout passes: the TCK waits for states, never for a fixed time. */
public final class TckWait {

    private static final Duration POLL = Duration.ofMillis(100);

    private TckWait() {
    }

    /**
     * Polls {@code condition} every 100 ms in the calling thread.
     *
     * @param what what is awaited, for the failure message
     * @param timeout the longest wait before scaling by the run's timeout multiplier
     * @param condition the condition; it may have effects (an emit), it is called until it returns true
     * @throws AssertionFailedError if the condition did not hold in time
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TckBroker.scaled(timeout).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("not within " + TckBroker.scaled(timeout) + ": " + what);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError("interrupted while waiting for: " + what, e);
            }
        }
    }
}
