package studio.lerian.streaming.core.internal.outbox;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.ErrorClassifier;
import studio.lerian.streaming.core.internal.RecordSender;
import studio.lerian.streaming.core.internal.config.StreamingConfig.OutboxSettings;
import studio.lerian.streaming.core.internal.telemetry.RelaySpan;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * Publishes parked events once the broker is back (spec section 8.6). Each poll claims a batch of due rows
 * ({@link OutboxStore#claimBatch}: with a store that has lanes, only rows of the lanes this relay holds), publishes
 * them through the direct path: never through {@code emit}, never through the circuit breaker, so a broker still down
 * cannot make a row park itself again; and commits the batch with each row's outcome. With strict ordering a key's
 * claimed rows are published back to back in creation order, keys side by side, and their outcomes read in order
 * ({@link KeyRunPublisher}: why that keeps the order, and the fallback to one row at a time after a failure); with
 * relaxed ordering all at once. The first failure of a key stops that key for this poll (its later rows get no
 * outcome, so they stay due) so that the failed row goes out again before them; a failed row that a later row of its
 * key has overtaken on the broker is marked FAILED instead. Failed rows are retried with exponential backoff, then
 * marked FAILED (with a DLQ copy when their stored policy allows); rows that cannot be replayed (unreadable, tampered
 * with, of another application, not framable) are marked INVALID. A batch runs within one budget
 * ({@link BatchBudget}), and nothing a poll throws ends the relay's schedule. At most once a second a poll also returns
 * rows left {@code PROCESSING} by a dead relay (stores that mark claims) to {@code PENDING}. Delivery is at least once:
 * consumers deduplicate on {@code ce-id}.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");
    private static final int MAX_ERROR_CHARS = 1024;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    private static final Duration RECLAIM_EVERY = Duration.ofSeconds(1);
    /** How long {@link #close()} waits for a poll in progress. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final OutboxStore store;
    private final RecordSender publisher;
    private final OutboxSettings settings;
    private final boolean allowSystemEvents;
    private final RowOwnership ownership;
    private final BacklogFlag backlogFlag;
    private final String relayId;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Telemetry telemetry;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<ScheduledFuture<?>> next = new AtomicReference<>();
    /** Held while a scheduled poll runs, so that {@link #close()} can wait for it on any executor. */
    private final ReentrantLock polling = new ReentrantLock();
    private volatile Instant lastPurge = Instant.EPOCH;
    private volatile Instant lastReclaim = Instant.EPOCH;
    private volatile boolean joined;
    /** {@link System#nanoTime()} when the last poll completed, or when the relay started. */
    private volatile long lastPollCompleted = System.nanoTime();
    private final AtomicLong scheduledPollsCompleted = new AtomicLong();
    /** The longest from the start of a send to its outcome: what a row's send needs left of the batch's budget. */
    private final Duration sendBound;
    /** The budget of the batch being relayed. */
    private volatile BatchBudget budget;

    /**
     * @param store the outbox table
     * @param publisher the direct publisher
     * @param settings the relay settings
     * @param allowSystemEvents whether system events may be relayed
     * @param ownership which rows are this relay's to publish
     * @param backlogFlag the strict-ordering flag, raised when a poll claims rows (the {@link BacklogProbe} lowers it)
     * @param relayId this relay's id, recorded on claimed rows
     * @param scheduler where polls run: the runtime's managed executor or the relay's own, see {@link RelayScheduler}
     * @param ownsScheduler whether {@link #close()} shuts the scheduler down
     * @param telemetry where the relay's spans and counts go
     */
    public OutboxRelay(OutboxStore store, RecordSender publisher, OutboxSettings settings, boolean allowSystemEvents,
            RowOwnership ownership, BacklogFlag backlogFlag, String relayId, ScheduledExecutorService scheduler,
            boolean ownsScheduler, Telemetry telemetry) {
        this.store = store;
        this.telemetry = telemetry;
        this.publisher = publisher;
        this.settings = settings;
        this.allowSystemEvents = allowSystemEvents;
        this.ownership = ownership;
        this.backlogFlag = backlogFlag;
        this.relayId = relayId;
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
        this.sendBound = publisher.sendBound();
    }

    /** Starts polling. */
    public void start() {
        lastPollCompleted = System.nanoTime();
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        if (!closed.get()) {
            try {
                ScheduledFuture<?> scheduled = scheduler.schedule(this::pollSafely, delay.toMillis(),
                        TimeUnit.MILLISECONDS);
                next.set(scheduled);
                if (closed.get()) {
                    // close() ran between the check above and now, and may have cancelled the previous future: a
                    // container's executor, which close() does not shut down, would otherwise poll on for good.
                    scheduled.cancel(false);
                }
            } catch (RejectedExecutionException e) {
                if (!closed.get()) { // a scheduler shut down under us: no further poll, which readiness will show
                    LOG.log(Level.ERROR, () -> LogLine.of("streaming: outbox relay poll failed")
                            .field("relay_id", relayId).field("error", Sanitizer.describe(e)).toString());
                }
            }
        }
    }

    /**
     * Runs one poll and schedules the next, whatever the poll throws. Errors included: an {@link OutOfMemoryError}
     * while loading a batch of large envelopes, or a {@link LinkageError} from a redeployed class, used to escape into
     * the executor's future, where nobody looked, and polling stopped for good without a log line. A JVM that cannot
     * recover fails elsewhere too; one that can (the batch's memory is garbage once the poll is over) keeps relaying.
     */
    private void pollSafely() {
        Duration delay = settings.pollInterval();
        polling.lock();
        try {
            if (pollOnce() > 0) {
                // Rows were claimed, so more may be due: poll again at once. Waiting after every batch short of
                // batchSize held a drain to one batch a second whenever claims came back partial (several relays
                // sharing the keys, or rows held back behind their key's head).
                delay = Duration.ZERO;
            }
            lastPollCompleted = System.nanoTime();
            scheduledPollsCompleted.incrementAndGet();
        } catch (Throwable e) { // see above: nothing but close() may end the relay's schedule
            // An Error's message alone ("Java heap space") does not say what happened: name its class too.
            LOG.log(e instanceof Error ? Level.ERROR : Level.WARNING, () -> LogLine.of("streaming: outbox relay poll"
                    + " failed").field("relay_id", relayId).field("error", (e instanceof Error
                            ? e.getClass().getName() + ": " : "") + Sanitizer.describe(e)).toString());
        } finally {
            polling.unlock();
        }
        schedule(delay);
    }

    /**
     * How long since this relay last completed a poll (or started, before its first): what readiness reports. A
     * relay whose polls keep failing (database down) or one stuck inside a poll shows here.
     *
     * @return the time since the last completed poll
     */
    public Duration sinceLastPoll() {
        return Duration.ofNanos(System.nanoTime() - lastPollCompleted);
    }

    /**
     * @return how many of its scheduled polls this relay has completed (polls run through {@link #pollOnce()} by hand
     *         are not counted): one at least once the poll it starts with is over
     */
    public long scheduledPollsCompleted() {
        return scheduledPollsCompleted.get();
    }

    /**
     * The longest a relay may go without completing a poll before it counts as stalled: twice the longest a healthy
     * poll's batch takes ({@code STREAMING_OUTBOX_BATCH_TIMEOUT_S}), plus the poll interval it waits between polls
     * that find nothing. Twice, so that a poll whose counting and purging queries are slow as well is not reported.
     *
     * @return the limit
     */
    public Duration stallLimit() {
        return settings.batchTimeout().multipliedBy(2).plus(settings.pollInterval());
    }

    /** @return whether the relay has completed no poll for longer than {@link #stallLimit()} */
    public boolean stalled() {
        return sinceLastPoll().compareTo(stallLimit()) > 0;
    }

    /**
     * One poll: reclaim (at most once a second), claim, publish, record. Public for tests and for applications that
     * drive the relay themselves.
     *
     * @return how many rows were claimed
     */
    public int pollOnce() {
        if (!joined) {
            store.joinLanes(relayId, settings.lanes(), settings.laneLease());
            joined = true;
        }
        Instant now = Instant.now();
        if (!now.isBefore(lastReclaim.plus(RECLAIM_EVERY))) {
            // Only rows marked PROCESSING by a relay that died can be stuck; a store that holds its claims in a
            // transaction leaves none, so once a second is plenty against a lease of minutes.
            lastReclaim = now;
            store.reclaimStuck(now.minus(settings.stuckTimeout()));
        }
        List<OutboxRow> rows;
        boolean keepPublished = !settings.retention().isZero();
        budget = BatchBudget.startingNow(settings.batchTimeout(), sendBound); // the transaction starts with the claim
        try (OutboxBatch batch = store.claimBatch(settings.batchSize(), settings.strictOrder(), keepPublished,
                relayId)) {
            rows = batch.rows();
            if (!rows.isEmpty()) {
                backlogFlag.raise();
                relay(batch);
                batch.commit();
            }
        }
        if (now.isAfter(lastPurge.plus(PURGE_EVERY))) {
            lastPurge = now;
            store.purgePublished(now.minus(settings.retention()));
        }
        return rows.size();
    }

    /**
     * Publishes the claimed rows, keys side by side, recording each outcome on the batch. Strict order: each key's run
     * back to back, its outcomes read in the key's order, one row at a time up to a row that failed before
     * ({@link KeyRunPublisher} says why this keeps the order, and what becomes of a failed row a later one overtook).
     * Relaxed order: every row sent at once and every outcome recorded, as no order within a key is kept: a failed
     * row is retried later, and the key's other rows are published or retried on their own outcome (leaving an
     * acknowledged row without one would send it to the broker again at the next poll).
     */
    private void relay(OutboxBatch batch) {
        Map<String, List<OutboxRow>> byKey = new LinkedHashMap<>();
        for (OutboxRow row : batch.rows()) {
            byKey.computeIfAbsent(row.partitionKey(), k -> new ArrayList<>()).add(row);
        }
        if (settings.strictOrder()) {
            new KeyRunPublisher(row -> attempt(row, batch), publisher::flush).publish(byKey.values());
        } else {
            relayAtOnce(byKey, batch);
        }
    }

    /**
     * Sends every row at once, flushes (the relay waits for every answer anyway, so the client's linger would only
     * delay them), then records each row's outcome.
     */
    private void relayAtOnce(Map<String, List<OutboxRow>> byKey, OutboxBatch batch) {
        List<Attempt> attempts = new ArrayList<>(batch.rows().size());
        byKey.values().forEach(run -> run.forEach(row -> attempts.add(attempt(row, batch))));
        try {
            publisher.flush();
        } catch (InterruptException e) {
            // The flag is set again by the client's exception; the outcomes are still read, waiting for each.
        }
        for (Attempt attempt : attempts) {
            if (!attempt.handedOver()) {
                continue; // INVALID, or left untried by the batch's budget: recorded already, or no outcome
            }
            Throwable failure = attempt.await();
            if (failure == null) {
                attempt.published();
            } else {
                attempt.failed(failure);
            }
        }
    }

    /**
     * Decodes, checks, frames and sends one row, if the batch's budget still lets a send settle in time (else the row
     * is left untried). A row that cannot be read, is not this relay's to publish (see {@link RowOwnership}), fails a
     * request rule or cannot be framed in the configured format is marked INVALID at once: that is the row's own fault
     * and retrying cannot cure it, so it must neither count as an attempt nor escape as an exception that would fail
     * the whole batch.
     */
    private Attempt attempt(OutboxRow row, OutboxBatch batch) {
        BatchBudget batchBudget = budget;
        if (!batchBudget.maySend()) {
            return new Attempt(batch, row, batchBudget); // too late to settle a send by the deadline: untried
        }
        OutboxEnvelope envelope;
        ProducerRecord<byte[], byte[]> record;
        try {
            envelope = EnvelopeDecoder.decode(row.envelope()).validate();
            if (!envelope.topic().equals(row.topic())) {
                throw new StreamingException(ErrorCode.INVALID_OUTBOX_ENVELOPE,
                        "row topic \"" + row.topic() + "\" does not match envelope topic \"" + envelope.topic() + "\"");
            }
            ownership.check(row, envelope);
            ReplayPreflight.checkDecoded(envelope.event(), allowSystemEvents);
            record = publisher.frame(envelope.event(), envelope.topic());
        } catch (StreamingException invalid) {
            batch.invalid(row.id(), bounded(invalid));
            telemetry.relayInvalid();
            LOG.log(Level.WARNING, () -> LogLine.of("streaming: outbox row refused").field("producer_id", relayId)
                    .field("row_id", row.id()).field("error", Sanitizer.describe(invalid)).toString());
            return new Attempt(batch, row, null, null, null, null, Instant.now(), batchBudget);
        }
        Instant started = Instant.now();
        RelaySpan span = telemetry.startRelay(envelope, row.id());
        return new Attempt(batch, row, envelope, record, span, publisher.sendAsync(record, span), started,
                batchBudget);
    }

    /**
     * One row of a batch: sent to the client, refused as INVALID before it (outcome recorded), or not sent because the
     * batch's budget could no longer settle a send in time (no outcome: due again, untried, and its key stops there).
     */
    private final class Attempt implements KeyRunPublisher.Send {
        private final OutboxBatch batch;
        private final OutboxRow row;
        private final OutboxEnvelope envelope;
        private final ProducerRecord<byte[], byte[]> record;
        private final RelaySpan span;
        private final CompletableFuture<Void> ack;
        private final Instant started;
        private final BatchBudget budget;
        /** Not sent, for want of budget. */
        private final boolean deferred;
        private boolean answered;
        private Throwable failure;

        /** A row sent ({@code ack} set) or refused as INVALID ({@code ack} null, outcome recorded). */
        Attempt(OutboxBatch batch, OutboxRow row, OutboxEnvelope envelope, ProducerRecord<byte[], byte[]> record,
                RelaySpan span, CompletableFuture<Void> ack, Instant started, BatchBudget budget) {
            this.batch = batch;
            this.row = row;
            this.envelope = envelope;
            this.record = record;
            this.span = span;
            this.ack = ack;
            this.started = started;
            this.budget = budget;
            this.deferred = false;
        }

        /** A row not sent because the batch's budget is spent. */
        Attempt(OutboxBatch batch, OutboxRow row, BatchBudget budget) {
            this.batch = batch;
            this.row = row;
            this.envelope = null;
            this.record = null;
            this.span = null;
            this.ack = null;
            this.started = null;
            this.budget = budget;
            this.deferred = true;
            this.answered = true;
            this.failure = new Untried("not sent: the batch's budget could not settle a send in time");
        }

        @Override
        public OutboxRow row() {
            return row;
        }

        /** A deferred row counts as handed over and failed at once: its key's later rows must not go before it. */
        @Override
        public boolean handedOver() {
            return ack != null || deferred;
        }

        @Override
        public boolean failedAlready() {
            return deferred || (ack != null && ack.isCompletedExceptionally());
        }

        /**
         * Waits for the client's answer, until the batch's deadline (the client settles every record sent within the
         * budget by then; the margin is for its callback), and ends the span with it. An interrupt does not cut the
         * wait short: a row left without its outcome could be retried behind a later row of its key that the client
         * still delivers. A send not settled by the deadline is in doubt: it gets no outcome.
         */
        @Override
        public Throwable await() {
            if (!answered) {
                boolean interrupted = false;
                while (!answered) {
                    try {
                        ack.get(budget.ackWaitNanos(), TimeUnit.NANOSECONDS);
                        answered = true;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException | CompletionException e) {
                        failure = e.getCause() == null ? e : e.getCause();
                        answered = true;
                    } catch (TimeoutException e) {
                        // If it lands, the next attempt is a duplicate that consumers drop on ce-id.
                        failure = new Untried("not settled by the batch's deadline: in doubt");
                        answered = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                span.end(failure);
            }
            return failure;
        }

        @Override
        public void published() {
            batch.published(row.id());
            telemetry.relayPublished(envelope.topic());
        }

        @Override
        public void failed(Throwable cause) {
            if (cause instanceof Untried) {
                return; // not sent, or in doubt: no outcome (due again, untried)
            }
            if (cause instanceof StreamingException e && e.code() == ErrorCode.EMITTER_CLOSED) {
                return; // refused or abandoned because the emitter is closing: not an attempt, so no outcome
            }
            ErrorClass errorClass = ErrorClassifier.classify(cause);
            int attempts = row.attempts() + 1;
            boolean giveUp = attempts >= settings.maxAttempts() || errorClass == ErrorClass.SERIALIZATION_ERROR
                    || errorClass == ErrorClass.VALIDATION_ERROR; // retrying cannot help these
            if (giveUp && dlqCopyDue(errorClass) && publisher.isClosed()) {
                return; // its DLQ copy cannot be written now: leave the row to a relay that can write both
            }
            if (giveUp) {
                markFailed(cause, errorClass, attempts, bounded(cause));
            } else {
                batch.retryLater(row.id(), attempts, Instant.now().plus(settings.backoff(attempts)), bounded(cause));
            }
        }

        /**
         * A later row of this key and topic is on the broker, so a retry of this one would arrive after it: FAILED at
         * once, whatever its attempts, copied to the DLQ when its policy allows.
         */
        @Override
        public void overtaken(Throwable cause, OutboxRow successor) {
            markFailed(cause, ErrorClassifier.classify(cause), row.attempts() + 1, bounded("not retried, to keep its"
                    + " key's order: a later row of the same key and topic, " + successor.id() + ", was acknowledged"
                    + " while this one failed (after a timeout this row may be on the topic already); failure: "
                    + Sanitizer.describe(cause)));
        }

        private boolean dlqCopyDue(ErrorClass errorClass) {
            return envelope.policy().dlqAllowed() && errorClass.isDlqRoutable();
        }

        private void markFailed(Throwable cause, ErrorClass errorClass, int attempts, String lastError) {
            batch.failed(row.id(), attempts, lastError);
            telemetry.relayFailed(envelope.topic(), errorClass);
            if (dlqCopyDue(errorClass)) {
                publisher.copyToDlq(record, envelope.event(), errorClass, cause, started, budget.deadline());
            }
            LOG.log(Level.ERROR, () -> LogLine.of("streaming: outbox row failed").field("producer_id", relayId)
                    .field("row_id", row.id()).field("topic", envelope.topic())
                    .field("event_id", envelope.event().eventId()).field("attempts", attempts)
                    .field("error_class", errorClass.wire()).field("error", lastError).toString());
        }
    }

    /** A row that got no answer to record: not sent for want of budget, or not settled by the batch's deadline. */
    private static final class Untried extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Untried(String message) {
            super(message, null, false, false);
        }
    }

    private static String bounded(Throwable t) {
        return bounded(Sanitizer.describe(t));
    }

    private static String bounded(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS);
    }

    /**
     * Stops polling and waits up to {@link #CLOSE_WAIT} for a poll in progress to finish, on whichever executor it
     * runs; shuts the executor down only when the relay owns it (never a container's managed executor). A poll still
     * running after the wait goes on, and its sends are refused by the closing publisher without costing its rows an
     * attempt. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            ScheduledFuture<?> f = next.get();
            if (f != null) {
                f.cancel(false);
            }
            try {
                if (polling.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    polling.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (ownsScheduler) {
                scheduler.shutdown();
            }
            if (joined) {
                try {
                    store.leaveLanes(relayId); // the other relays take this one's lanes now, not when its lease ends
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, () -> LogLine.of("streaming: outbox relay could not give up its lanes; they"
                            + " go to the other relays when its lease ends").field("relay_id", relayId)
                            .field("error", Sanitizer.describe(e)).toString());
                }
            }
        }
    }
}
