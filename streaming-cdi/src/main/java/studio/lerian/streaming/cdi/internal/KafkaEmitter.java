package studio.lerian.streaming.cdi.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.StreamingException;

/**
 * The {@link Emitter} that publishes to Kafka. The pipeline, in order (spec section 3.4): prepare the request (every
 * caller check, no I/O, outside the breaker); refuse if closed; route by policy; publish through the
 * {@link GuardedPublisher}; when the circuit is open, fail with {@link ErrorCode#CIRCUIT_OPEN} at once. Thread-safe.
 */
public final class KafkaEmitter implements Emitter {

    private final EmitPreparer preparer;
    private final GuardedPublisher guarded;
    private final KafkaPublisher publisher;
    private final BrokerProbe probe;
    private final BreakerState breaker;
    private final AtomicBoolean closed = new AtomicBoolean();

    KafkaEmitter(EmitPreparer preparer, GuardedPublisher guarded, KafkaPublisher publisher, BrokerProbe probe,
            BreakerState breaker) {
        this.preparer = preparer;
        this.guarded = guarded;
        this.publisher = publisher;
        this.probe = probe;
        this.breaker = breaker;
    }

    @Override
    public void emit(EmitRequest request) {
        Objects.requireNonNull(request, "request");
        PreparedEmit prepared = preparer.prepare(request);
        if (closed.get()) {
            throw new StreamingException(ErrorCode.EMITTER_CLOSED);
        }
        if (prepared.policy().outboxAlways()) {
            throw new StreamingException(ErrorCode.OUTBOX_NOT_CONFIGURED,
                    "definition \"" + prepared.definition().key() + "\" resolves to outbox=always");
        }
        try {
            guarded.publish(publisher, prepared.event(), prepared.policy());
            breaker.recordClosed();
        } catch (CircuitBreakerOpenException open) {
            breaker.recordOpen();
            throw new StreamingException(ErrorCode.CIRCUIT_OPEN, null, open);
        }
    }

    /**
     * Healthy when the broker answers within 500 ms, whatever the breaker says; otherwise down (degraded once an
     * outbox is wired). Down after {@link #close()}.
     */
    @Override
    public Health health() {
        if (closed.get()) {
            return Health.down(new StreamingException(ErrorCode.EMITTER_CLOSED));
        }
        try {
            probe.ping();
            return Health.healthy();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Health.down(e);
        }
    }

    /** @return the circuit breaker's state as last observed by an emit */
    public BreakerState.State circuitState() {
        return breaker.state();
    }

    /** @return this instance's producer id */
    public String producerId() {
        return publisher.producerId();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                publisher.close();
            } finally {
                probe.close();
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaEmitter{producerId=" + publisher.producerId() + ", closed=" + closed.get() + "}";
    }
}
