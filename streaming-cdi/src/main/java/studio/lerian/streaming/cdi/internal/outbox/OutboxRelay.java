package studio.lerian.streaming.cdi.internal.outbox;

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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.cdi.internal.ErrorClassifier;
import studio.lerian.streaming.cdi.internal.KafkaPublisher;
import studio.lerian.streaming.cdi.internal.config.StreamingConfig.OutboxSettings;
import studio.lerian.streaming.cdi.internal.telemetry.RelaySpan;
import studio.lerian.streaming.cdi.internal.telemetry.Telemetry;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * Publishes parked events once the broker is back (spec section 8.6). Each poll claims a batch of due rows
 * ({@link OutboxStore#claimBatch}), publishes them through the direct path: never through {@code emit}, never through
 * the circuit breaker, so a broker still down cannot make a row park itself again; and commits the batch with each
 * row's outcome. With strict ordering a key's claimed rows are published back to back in creation order, keys side by
 * side, and their outcomes read in order ({@link KeyRunPublisher}: why that keeps the order, and the fallback to one
 * row at a time after a failure); with relaxed ordering all at once. The first failure of a key stops that key for
 * this poll (its later rows get no outcome, so they stay due) so that the failed row goes out again before them; a
 * failed row that a later row of its key has overtaken on the broker is marked FAILED instead. Failed rows are retried
 * with exponential backoff, then marked FAILED (with a DLQ copy when their stored policy allows); unreadable rows are
 * marked INVALID. At most once a second a poll also returns rows left {@code PROCESSING} by a dead relay (stores that
 * mark claims) to {@code PENDING}. Delivery is at least once: consumers deduplicate on {@code ce-id}.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");
    private static final int MAX_ERROR_CHARS = 1024;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    private static final Duration RECLAIM_EVERY = Duration.ofSeconds(1);

    private final OutboxStore store;
    private final KafkaPublisher publisher;
    private final OutboxSettings settings;
    private final boolean allowSystemEvents;
    private final BacklogFlag backlogFlag;
    private final String relayId;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Telemetry telemetry;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<ScheduledFuture<?>> next = new AtomicReference<>();
    private volatile Instant lastPurge = Instant.EPOCH;
    private volatile Instant lastReclaim = Instant.EPOCH;
    private volatile boolean joined;

    /**
     * @param store the outbox table
     * @param publisher the direct publisher
     * @param settings the relay settings
     * @param allowSystemEvents whether system events may be relayed
     * @param backlogFlag the strict-ordering flag, raised when a poll claims rows (the {@link BacklogProbe} lowers it)
     * @param relayId this relay's id, recorded on claimed rows
     * @param scheduler where polls run
     * @param ownsScheduler whether {@link #close()} shuts the scheduler down
     * @param telemetry where the relay's spans and counts go
     */
    public OutboxRelay(OutboxStore store, KafkaPublisher publisher, OutboxSettings settings, boolean allowSystemEvents,
            BacklogFlag backlogFlag, String relayId, ScheduledExecutorService scheduler, boolean ownsScheduler,
            Telemetry telemetry) {
        this.store = store;
        this.telemetry = telemetry;
        this.publisher = publisher;
        this.settings = settings;
        this.allowSystemEvents = allowSystemEvents;
        this.backlogFlag = backlogFlag;
        this.relayId = relayId;
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
    }

    /** Starts polling. */
    public void start() {
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        if (!closed.get()) {
            next.set(scheduler.schedule(this::pollSafely, delay.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void pollSafely() {
        Duration delay = settings.pollInterval();
        try {
            if (pollOnce() > 0) {
                // Rows were claimed, so more may be due: poll again at once. Waiting after every batch short of
                // batchSize held a drain to one batch a second whenever claims came back partial (several relays
                // sharing the keys, or rows held back behind their key's head).
                delay = Duration.ZERO;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> LogLine.of("streaming: outbox relay poll failed").field("relay_id", relayId)
                    .field("error", Sanitizer.describe(e)).toString());
        }
        schedule(delay);
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
     * Relaxed order: every row sent at once. Either way the first failure of a key stops that key for this poll: the
     * failed row is retried later, and the rest of its run gets no outcome (due again, untried).
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

    /** Sends every row at once, then reads the outcomes in each key's order. */
    private void relayAtOnce(Map<String, List<OutboxRow>> byKey, OutboxBatch batch) {
        Map<String, List<Attempt>> attempts = new LinkedHashMap<>();
        byKey.forEach((key, run) -> attempts.put(key, run.stream().map(row -> attempt(row, batch)).toList()));
        for (List<Attempt> run : attempts.values()) {
            boolean stopped = false;
            for (Attempt attempt : run) {
                if (!attempt.handedOver()) {
                    continue; // INVALID rows are out of the way; the key goes on
                }
                Throwable failure = attempt.await();
                if (stopped) {
                    continue; // after an earlier failure of its key: no outcome (due again, untried)
                }
                if (failure == null) {
                    attempt.published();
                } else {
                    attempt.failed(failure);
                    stopped = true;
                }
            }
        }
    }

    /** Decodes, checks and sends one row; an unreadable row is marked INVALID at once. */
    private Attempt attempt(OutboxRow row, OutboxBatch batch) {
        OutboxEnvelope envelope;
        try {
            envelope = EnvelopeDecoder.decode(row.envelope()).validate();
            if (!envelope.topic().equals(row.topic())) {
                throw new StreamingException(studio.lerian.streaming.ErrorCode.INVALID_OUTBOX_ENVELOPE,
                        "row topic \"" + row.topic() + "\" does not match envelope topic \"" + envelope.topic() + "\"");
            }
            ReplayPreflight.check(envelope.event(), allowSystemEvents);
        } catch (StreamingException invalid) {
            batch.invalid(row.id(), bounded(invalid));
            telemetry.relayInvalid();
            LOG.log(Level.WARNING, () -> LogLine.of("streaming: outbox row refused").field("producer_id", relayId)
                    .field("row_id", row.id()).field("error", Sanitizer.describe(invalid)).toString());
            return new Attempt(batch, row, null, null, null, Instant.now());
        }
        Instant started = Instant.now();
        RelaySpan span = telemetry.startRelay(envelope, row.id());
        return new Attempt(batch, row, envelope, span,
                publisher.sendAsync(envelope.event(), envelope.topic(), span), started);
    }

    /** One row in flight. */
    private final class Attempt implements KeyRunPublisher.Send {
        private final OutboxBatch batch;
        private final OutboxRow row;
        private final OutboxEnvelope envelope;
        private final RelaySpan span;
        private final CompletableFuture<Void> ack;
        private final Instant started;
        private boolean answered;
        private Throwable failure;

        Attempt(OutboxBatch batch, OutboxRow row, OutboxEnvelope envelope, RelaySpan span,
                CompletableFuture<Void> ack, Instant started) {
            this.batch = batch;
            this.row = row;
            this.envelope = envelope;
            this.span = span;
            this.ack = ack;
            this.started = started;
        }

        @Override
        public OutboxRow row() {
            return row;
        }

        @Override
        public boolean handedOver() {
            return ack != null; // INVALID rows are refused before the client
        }

        @Override
        public boolean failedAlready() {
            return ack != null && ack.isCompletedExceptionally();
        }

        /**
         * Waits for the client's answer and ends the span with it. An interrupt does not cut the wait short: a row
         * left without its outcome could be retried behind a later row of its key that the client still delivers.
         * The client answers within the delivery timeout, or when the producer closes.
         */
        @Override
        public Throwable await() {
            if (!answered) {
                boolean interrupted = false;
                while (!answered) {
                    try {
                        ack.get();
                        answered = true;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException | CompletionException e) {
                        failure = e.getCause() == null ? e : e.getCause();
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
            ErrorClass errorClass = ErrorClassifier.classify(cause);
            int attempts = row.attempts() + 1;
            if (cause instanceof StreamingException) {
                return; // closed while relaying: not an attempt, so no outcome (due again, untried)
            }
            if (attempts >= settings.maxAttempts() || errorClass == ErrorClass.SERIALIZATION_ERROR
                    || errorClass == ErrorClass.VALIDATION_ERROR) { // retrying cannot help these
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

        private void markFailed(Throwable cause, ErrorClass errorClass, int attempts, String lastError) {
            batch.failed(row.id(), attempts, lastError);
            telemetry.relayFailed(envelope.topic(), errorClass);
            if (envelope.policy().dlqAllowed() && errorClass.isDlqRoutable()) {
                publisher.copyToDlq(envelope.event(), envelope.topic(), errorClass, cause, started);
            }
            LOG.log(Level.ERROR, () -> LogLine.of("streaming: outbox row failed").field("producer_id", relayId)
                    .field("row_id", row.id()).field("topic", envelope.topic())
                    .field("event_id", envelope.event().eventId()).field("attempts", attempts)
                    .field("error_class", errorClass.wire()).field("error", lastError).toString());
        }
    }

    private static String bounded(Throwable t) {
        return bounded(Sanitizer.describe(t));
    }

    private static String bounded(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS);
    }

    /** Stops polling; a poll in progress finishes. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            ScheduledFuture<?> f = next.get();
            if (f != null) {
                f.cancel(false);
            }
            if (ownsScheduler) {
                scheduler.shutdown();
                try {
                    scheduler.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
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
