package studio.lerian.streaming.core.internal;

import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.Delivery;
import studio.lerian.streaming.core.GuardedCall;
import studio.lerian.streaming.core.internal.telemetry.OutboxReason;

/**
 * One emit's guarded publish: send and wait for the acknowledgement; while the circuit is open (spec section 7.5),
 * park the event in the outbox when its policy allows it, else fail with {@code CIRCUIT_OPEN} at once.
 *
 * @param publisher the direct publisher
 * @param prepared the validated request
 * @param emitAttempt the emit's span, deadline and what became of its dead-letter copy
 * @param outbox the outbox route
 */
record PublishCommand(RecordSender publisher, PreparedEmit prepared, EmitAttempt emitAttempt, OutboxRoute outbox)
        implements GuardedCall {

    @Override
    public Delivery attempt() {
        publisher.publish(prepared.event(), prepared.policy(), emitAttempt);
        return Delivery.PRODUCED;
    }

    @Override
    public Delivery refused() {
        if (prepared.policy().outboxFallbackOnCircuitOpen() && outbox.wired()) {
            outbox.park(prepared, emitAttempt, OutboxReason.CIRCUIT_OPEN);
            return Delivery.OUTBOXED;
        }
        throw new StreamingException(ErrorCode.CIRCUIT_OPEN);
    }

    @Override
    public boolean countsAsFailure(RuntimeException failure) {
        return BreakerGate.countsAsFailure(failure);
    }
}
