package studio.lerian.streaming.core.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.Delivery;
import studio.lerian.streaming.core.internal.telemetry.OutboxReason;
import studio.lerian.streaming.core.internal.telemetry.Outcome;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.core.internal.outbox.BacklogProbe;
import studio.lerian.streaming.core.internal.outbox.OutboxRelay;
import studio.lerian.streaming.spi.OutboxBacklog;

/**
 * The {@link Emitter} that publishes to Kafka. The pipeline, in order (spec section 3.4): prepare the request (every
 * caller check, no I/O, outside the breaker); refuse if closed; park the event in the outbox when the policy says
 * {@code outbox=always} or its key has an outbox backlog (strict ordering); otherwise publish through the circuit
 * breaker ({@link BreakerGate}), which, while the circuit is open, parks the event (policy permitting) or fails with
 * {@link ErrorCode#CIRCUIT_OPEN} at once ({@link PublishCommand}). Thread-safe.
 *
 * <p>Every emit is recorded exactly once, here, with its final outcome (spec section 12.1): a request rejected before
 * its span only in {@code streaming_emitted_total}; an emit that passed validation through its span's end, which also
 * records the duration and sets {@code event.outcome}.
 */
public final class KafkaEmitter implements Emitter {

    private final EmitPreparer preparer;
    private final BreakerGate breaker;
    private final RecordSender publisher;
    private final BrokerProbe probe;
    private final OutboxRoute outbox;
    private final BacklogProbe backlogProbe;
    private final OutboxRelay relay;
    private final Telemetry telemetry;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final BatchPipeline batches;

    KafkaEmitter(EmitPreparer preparer, BreakerGate breaker, RecordSender publisher, BrokerProbe probe,
            OutboxRoute outbox, BacklogProbe backlogProbe, OutboxRelay relay,
            Telemetry telemetry) {
        this.backlogProbe = backlogProbe;
        this.relay = relay;
        this.telemetry = telemetry;
        this.preparer = preparer;
        this.publisher = publisher;
        this.probe = probe;
        this.breaker = breaker;
        this.outbox = outbox;
        this.batches = new BatchPipeline(preparer, breaker, publisher, outbox, telemetry, closed::get);
    }

    @Override
    public void emit(EmitRequest request) {
        Objects.requireNonNull(request, "request");
        PreparedEmit prepared;
        try {
            prepared = preparer.prepare(request);
        } catch (RuntimeException rejected) {
            telemetry.emitted(preparer.topicOf(request), Outcome.CALLER_ERROR);
            throw rejected;
        }
        if (closed.get()) {
            telemetry.emitted(prepared.event().topic(), Outcome.CALLER_ERROR);
            throw new StreamingException(ErrorCode.EMITTER_CLOSED);
        }
        EmitAttempt attempt = new EmitAttempt(telemetry.startEmit(prepared.definition().key(), prepared.event(),
                prepared.policy()), publisher.deadlineFromNow());
        Outcome outcome = Outcome.FAILED;
        Throwable failure = null;
        try {
            outcome = deliver(prepared, attempt);
        } catch (RuntimeException | Error e) {
            failure = e;
            outcome = outcomeOf(e, attempt);
            throw e;
        } finally {
            attempt.span().end(outcome, failure instanceof EmitException publish ? publish.errorClass() : null,
                    failure);
        }
    }

    /** The batch pipeline, see {@link BatchPipeline}. */
    @Override
    public void emitAll(java.util.Collection<EmitRequest> requests) {
        batches.emitAll(requests);
    }

    /** Steps 7 to 9 of the pipeline; returns the outcome of a delivery that succeeded. */
    private Outcome deliver(PreparedEmit prepared, EmitAttempt attempt) {
        if (prepared.policy().outboxAlways()) {
            outbox.park(prepared, attempt, OutboxReason.POLICY_ALWAYS);
            return Outcome.OUTBOXED;
        }
        if (outbox.mustFollowBacklog(prepared, attempt.deadline())) {
            outbox.park(prepared, attempt, OutboxReason.BACKLOG);
            return Outcome.OUTBOXED;
        }
        if (attempt.deadlinePassed()) {
            // The strict-ordering lookup (a database read) used up the emit's delivery timeout: sending now could
            // only end in a timeout reported while the record may still land. Nothing is sent, and the breaker,
            // which judges the broker, is not told.
            throw OutboxRoute.notSent(prepared, "the delivery timeout passed while the outbox was asked whether the"
                    + " event's partition key has a backlog", null);
        }
        Delivery delivery = breaker.through(new PublishCommand(publisher, prepared, attempt, outbox));
        return delivery == Delivery.PRODUCED ? Outcome.PRODUCED : Outcome.OUTBOXED;
    }

    /** The outcome label of a failed emit (spec section 12.1). */
    static Outcome outcomeOf(Throwable failure, EmitAttempt attempt) {
        if (attempt.didOutboxFail()) {
            return Outcome.OUTBOX_FAILED;
        }
        if (failure instanceof EmitException publish) {
            if (attempt.wasDeadLettered()) {
                return Outcome.DLQ;
            }
            return publish.errorClass().isCallerError() ? Outcome.CALLER_ERROR : Outcome.FAILED;
        }
        if (failure instanceof StreamingException e) {
            if (e.code() == ErrorCode.CIRCUIT_OPEN) {
                return Outcome.CIRCUIT_OPEN;
            }
            if (e.code() == ErrorCode.EMITTER_CLOSED || StreamingErrors.isCallerError(e)) {
                return Outcome.CALLER_ERROR;
            }
        }
        return Outcome.FAILED;
    }

    /**
     * Healthy when the broker answers within 500 ms, whatever the breaker says, and the relay (if any) is polling;
     * otherwise degraded when an outbox captures events meanwhile, down when none does. Degraded, with cause
     * {@link ErrorCode#OUTBOX_RELAY_STALLED}, when the relay has completed no poll within
     * {@link OutboxRelay#stallLimit()}. Down after {@link #close()}.
     */
    @Override
    public Health health() {
        if (closed.get()) {
            return Health.down(new StreamingException(ErrorCode.EMITTER_CLOSED));
        }
        try {
            probe.ping();
            if (relay != null && relay.stalled()) {
                return Health.degraded(new StreamingException(ErrorCode.OUTBOX_RELAY_STALLED, "no poll completed for "
                        + relay.sinceLastPoll().toSeconds() + " s (limit " + relay.stallLimit().toSeconds() + " s)"));
            }
            return Health.healthy();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return outbox.wired() ? Health.degraded(e) : Health.down(e);
        }
    }

    /** @return the circuit breaker's state as last observed by an emit */
    public BreakerState.State circuitState() {
        return breaker.state();
    }

    /** @return the outbox backlog as of the backlog probe's last count; empty without an outbox store */
    public OutboxBacklog outboxBacklog() {
        return backlogProbe == null ? OutboxBacklog.EMPTY : backlogProbe.backlog();
    }

    /** @return the backlog probe of this emitter: present whenever it has an outbox store, relay or not */
    public java.util.Optional<BacklogProbe> backlogProbe() {
        return java.util.Optional.ofNullable(backlogProbe);
    }

    /** @return the outbox relay of this emitter, if it runs one */
    public java.util.Optional<OutboxRelay> relay() {
        return java.util.Optional.ofNullable(relay);
    }

    /** @return this instance's producer id */
    public String producerId() {
        return publisher.producerId();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                try {
                    if (relay != null) {
                        relay.close();
                    }
                } finally {
                    if (backlogProbe != null) {
                        backlogProbe.close();
                    }
                }
            } finally {
                try {
                    publisher.close();
                } finally {
                    try {
                        probe.close();
                    } finally {
                        telemetry.close();
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaEmitter{producerId=" + publisher.producerId() + ", closed=" + closed.get() + "}";
    }
}
