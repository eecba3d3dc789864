package studio.lerian.streaming.core.internal.outbox;

import java.time.Duration;

/**
 * The time one relay batch may take, from its claim to its commit, while its database transaction holds the rows:
 * {@code STREAMING_OUTBOX_BATCH_TIMEOUT_S}, sized to end well inside an application server's transaction timeout.
 *
 * <p>Why a row may be sent only while a whole send bound is left: the Kafka client cannot be cut short. Its
 * {@code send()} blocks up to {@code max.block.ms} when the topic has no metadata (broker unreachable, topic missing
 * with auto-creation off) or its buffer is full, and once it returns the record is settled, acknowledged or failed,
 * within {@code delivery.timeout.ms}. A row whose send starts while that much is left therefore has its outcome by
 * the deadline; a row for which less is left is not sent at all and gets no outcome (due again, untried). Without
 * this, a topic without metadata made each row's send block {@code max.block.ms}, key after key: 200 heads took about
 * 50 minutes, the transaction timed out, and no outcome was ever recorded.
 *
 * <p>Waits that the relay controls itself (acknowledgements, DLQ copies) end at the {@linkplain #deadline() deadline}.
 * Not thread-safe to create; its reads are.
 */
final class BatchBudget {

    private static final long CALLBACK_MARGIN_NANOS = Duration.ofMillis(250).toNanos();

    private final long deadline;
    private final long sendBound;

    private BatchBudget(long deadline, long sendBound) {
        this.deadline = deadline;
        this.sendBound = sendBound;
    }

    /**
     * @param budget the whole batch's time
     * @param sendBound the longest from the start of a send to the record's outcome
     * @return a budget starting now
     */
    static BatchBudget startingNow(Duration budget, Duration sendBound) {
        return new BatchBudget(System.nanoTime() + budget.toNanos(), sendBound.toNanos());
    }

    /** @return whether a send started now settles by the deadline */
    boolean maySend() {
        return remainingNanos() >= sendBound;
    }

    /** @return the deadline, in {@link System#nanoTime()} units */
    long deadline() {
        return deadline;
    }

    /** @return what is left until the deadline, never negative */
    long remainingNanos() {
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * @return how long to wait for the outcome of a record sent within the budget: until the deadline, by which the
     *         client settles it, plus a margin for its callback to run
     */
    long ackWaitNanos() {
        return remainingNanos() + CALLBACK_MARGIN_NANOS;
    }
}
