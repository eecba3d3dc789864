package studio.lerian.streaming.core.internal.outbox;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where the relay's polls run: an executor the container manages (the CDI module looks for Jakarta Concurrency's
 * default managed scheduled executor), or else a daemon thread of the relay's own, which it shuts down when it
 * closes.
 */
public final class RelayScheduler {

    /**
     * An executor for the relay, and whether the relay owns it (shuts it down on close) or the container does.
     *
     * @param service the executor
     * @param owned whether the relay shuts it down when it closes
     * @param source what it is, for the log: {@code own-thread}, {@code cdi} or the JNDI name
     */
    public record Executor(ScheduledExecutorService service, boolean owned, String source) {
    }

    private RelayScheduler() {
    }

    /**
     * @param relayId names the thread
     * @return a single-thread scheduler running a daemon thread, owned by the relay
     */
    public static Executor ownThread(String relayId) {
        return new Executor(Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "streaming-outbox-relay-" + relayId);
            t.setDaemon(true);
            return t;
        }), true, "own-thread");
    }
}
