package studio.lerian.streaming.core.internal.outbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.errors.InterruptException;
import studio.lerian.streaming.spi.OutboxRow;

/**
 * Publishes the claimed rows of a strictly ordered batch: each key's run of rows is handed to the Kafka client back
 * to back, keys side by side, and flushed once; then each key's outcomes are read in the key's order. A hot key
 * drains at a few broker round trips per batch instead of one per row.
 *
 * <h2>Why this keeps a key's order</h2>
 * <ol>
 * <li>The rows of one key and topic go to one partition, and the client sends a partition's records in the order they
 * were handed over (one queue per partition, drained from its head).</li>
 * <li>Retries keep that order. With idempotence ({@code acks=all}, the default) every batch carries a per-partition
 * sequence number; the broker appends a batch only right after the one before it (else it answers
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} and the client retries), the client re-queues a retried batch in sequence order,
 * and the broker remembers the last five batches of a producer, so up to five requests in flight are deduplicated and
 * kept in order ({@code ProducerSettings} sets five, and the client refuses more). Without idempotence
 * ({@code acks=leader|none}) only one request is in flight per connection, so a retried batch goes again before any
 * later one.</li>
 * <li>So while nothing fails for good, the partition holds a prefix of what was handed over, in order; a relay whose
 * process dies mid-run leaves a prefix too, since the broker never appends past a gap in the sequence of one producer
 * epoch.</li>
 * <li>Where it is not safe: a batch that fails for good (a non-retriable answer such as a record too large for the
 * broker, retries exhausted, or {@code delivery.timeout.ms} reached) fails its records, but not the later batches of
 * its partition queued or in flight behind it: the idempotent producer bumps its epoch, numbers them again and retries
 * them ({@code TransactionManager.handleFailedBatch}, {@code canRetry}); without idempotence they simply go on. A later
 * row of the key can then be acknowledged while an earlier one failed, and a batch that expired in flight may even
 * have been written (the client cannot tell).</li>
 * </ol>
 *
 * <h2>How the outcomes are read</h2>
 * Every outcome of a key's run is known before any is recorded (the flush returns when the client has them all).
 * Acknowledged rows are published. A failed row followed by an acknowledged row of the same key and topic cannot be
 * retried in order (the retry would land behind its successor): it is marked {@code FAILED} at once, with a DLQ copy
 * when its policy allows and a {@code last_error} that says so ({@link Send#overtaken}). If its failure was a timeout
 * it may be on the topic already, in order; the DLQ copy is then a duplicate. The first failed row with no acknowledged
 * successor is handled as any failed row ({@link Send#failed}: retried later, or {@code FAILED} once its attempts are
 * spent), and the key stops for this poll: its later failed rows get no outcome (due again, untried).
 *
 * <h2>Falling back to one row at a time</h2>
 * A key whose claimed rows include one that failed before ({@code attempts > 0}) goes one row at a time, the next only
 * once the previous is acknowledged, until that row is acknowledged; the rest of its run then goes back to back. A
 * failed row is thus never retried with its successors in flight behind it, and a flaky partition does not keep
 * producing overtaken rows: a key goes back to back again only once its partition has taken the row that failed. A row whose send fails at
 * once (no metadata within {@code max.block.ms}, a full buffer, a record over {@code max.request.size}) stops its key's
 * run from being handed over further, so no later row goes out after it.
 *
 * <h2>What is left</h2>
 * Two cases, each taking two faults in one batch, in which a row that failed for good is retried behind a later row of
 * its partition: a later row reported as failed (a timeout) that was nevertheless written, its renumbered retry landing
 * but its acknowledgement lost, within the same delivery timeout; and the outcomes of an overtaken run never recorded,
 * because the relay died or the batch's commit failed (the failed row is then due again, untried).
 *
 * <p>Interrupts do not cut the wait for outcomes short: they are needed to keep the order, and the client reports every
 * record within the delivery timeout (or when the producer closes). An interrupted relay records what it has sent and
 * sends nothing more. Not thread-safe: one relay thread, one poll.
 */
final class KeyRunPublisher {

    /** One row of a run: handed to the client, or refused before it. */
    interface Send {

        /** @return the row */
        OutboxRow row();

        /** @return whether the row went to the client; {@code false} when refused first (its outcome recorded) */
        boolean handedOver();

        /** @return whether the client has failed the row already, without waiting (its send itself failed) */
        boolean failedAlready();

        /**
         * Waits for the client's answer; an interrupt does not cut the wait short (the flag is kept).
         *
         * @return {@code null} when acknowledged, else the failure
         */
        Throwable await();

        /** Records the row as published. */
        void published();

        /**
         * Records an ordinary failure: retried later, or {@code FAILED} when retrying cannot help.
         *
         * @param cause the failure
         */
        void failed(Throwable cause);

        /**
         * Records a failure that cannot be retried in order, since a later row of its key and topic is on the broker.
         *
         * @param cause the failure
         * @param successor the later row that was acknowledged
         */
        void overtaken(Throwable cause, OutboxRow successor);
    }

    private final Function<OutboxRow, ? extends Send> send;
    private final Runnable flush;

    /**
     * @param send decodes, checks and hands one row to the client, or refuses it (recording {@code INVALID})
     * @param flush sends what the client holds without waiting for its linger, and waits for the answers
     */
    KeyRunPublisher(Function<OutboxRow, ? extends Send> send, Runnable flush) {
        this.send = send;
        this.flush = flush;
    }

    /**
     * Publishes the runs and records every outcome it learns.
     *
     * @param runs each key's claimed rows, in creation order
     */
    void publish(Collection<List<OutboxRow>> runs) {
        List<Run> going = new ArrayList<>(runs.size());
        runs.forEach(rows -> going.add(new Run(rows)));
        while (!going.isEmpty() && !Thread.currentThread().isInterrupted()) {
            going.forEach(Run::handOver);
            try {
                flush.run();
            } catch (InterruptException e) {
                // The flag is set again by the client's exception; the outcomes are still read, waiting for each.
            }
            going.removeIf(run -> !run.record());
        }
    }

    /** One key's claimed rows. */
    private final class Run {
        private final List<OutboxRow> rows;
        /** The last row that failed before: up to it the run goes one row at a time. */
        private final int lastFailedBefore;
        private final List<Send> sent = new ArrayList<>();
        private int next;

        Run(List<OutboxRow> rows) {
            this.rows = rows;
            int last = -1;
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).attempts() > 0) {
                    last = i;
                }
            }
            this.lastFailedBefore = last;
        }

        /**
         * Hands this round's rows to the client: the next row while a row that failed before is still to go (each
         * round goes on only once the last is acknowledged), else the rest of the run.
         */
        void handOver() {
            sent.clear();
            while (next < rows.size()) {
                boolean oneAtATime = next <= lastFailedBefore;
                Send s = send.apply(rows.get(next++));
                sent.add(s);
                if (s.failedAlready() || (oneAtATime && s.handedOver())) {
                    return; // after a failed send no later row may go out; it fails the key's round below
                }
            }
        }

        /**
         * Waits for this round's outcomes, then records them.
         *
         * @return whether the key goes on in the next round
         */
        boolean record() {
            int n = sent.size();
            List<Throwable> failures = new ArrayList<>(n);
            Map<String, Integer> lastAcknowledged = new HashMap<>(); // per topic, which is per partition for one key
            for (int i = 0; i < n; i++) {
                Send s = sent.get(i);
                Throwable failure = s.handedOver() ? s.await() : null;
                failures.add(failure);
                if (s.handedOver() && failure == null) {
                    lastAcknowledged.put(s.row().topic(), i);
                }
            }
            int firstFailure = -1; // the first failed row with no acknowledged successor: the key stops there
            for (int i = 0; i < n; i++) {
                Send s = sent.get(i);
                Throwable failure = failures.get(i);
                int successor = lastAcknowledged.getOrDefault(s.row().topic(), -1);
                if (!s.handedOver()) {
                    // refused before the client, recorded already
                } else if (failure == null) {
                    s.published();
                } else if (successor > i) {
                    s.overtaken(failure, firstAcknowledgedAfter(i, failures));
                } else if (firstFailure < 0) {
                    firstFailure = i;
                    s.failed(failure);
                }
                // else: a later failed row of a stopped key gets no outcome (due again, untried)
            }
            return firstFailure < 0 && next < rows.size() && !Thread.currentThread().isInterrupted();
        }

        /** The first row after the failed row i, of its topic, that the broker acknowledged: the one it overtook. */
        private OutboxRow firstAcknowledgedAfter(int i, List<Throwable> failures) {
            String topic = sent.get(i).row().topic();
            for (int j = i + 1; ; j++) {
                Send s = sent.get(j);
                if (s.handedOver() && failures.get(j) == null && s.row().topic().equals(topic)) {
                    return s.row();
                }
            }
        }
    }
}
