package studio.lerian.streaming.cdi.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.cdi.internal.outbox.OutboxRelay;
import studio.lerian.streaming.spi.OutboxBacklog;

/**
 * The {@link Emitter} that publishes to Kafka. The pipeline, in order (spec section 3.4): prepare the request (every
 * caller check, no I/O, outside the breaker); refuse if closed; park the event in the outbox when the policy says
 * {@code outbox=always} or its key has an outbox backlog (strict ordering); otherwise publish through the
 * {@link GuardedPublisher}, which, while the circuit is open, parks the event (policy permitting) or fails with
 * {@link ErrorCode#CIRCUIT_OPEN} at once. Thread-safe.
 */
public final class KafkaEmitter implements Emitter {

    private final EmitPreparer preparer;
    private final GuardedPublisher guarded;
    private final KafkaPublisher publisher;
    private final BrokerProbe probe;
    private final BreakerState breaker;
    private final OutboxRoute outbox;
    private final OutboxRelay relay;
    private final AtomicBoolean closed = new AtomicBoolean();

    KafkaEmitter(EmitPreparer preparer, GuardedPublisher guarded, KafkaPublisher publisher, BrokerProbe probe,
            BreakerState breaker, OutboxRoute outbox, OutboxRelay relay) {
        this.relay = relay;
        this.preparer = preparer;
        this.guarded = guarded;
        this.publisher = publisher;
        this.probe = probe;
        this.breaker = breaker;
        this.outbox = outbox;
    }

    @Override
    public void emit(EmitRequest request) {
        Objects.requireNonNull(request, "request");
        PreparedEmit prepared = preparer.prepare(request);
        if (closed.get()) {
            throw new StreamingException(ErrorCode.EMITTER_CLOSED);
        }
        if (prepared.policy().outboxAlways() || outbox.mustFollowBacklog(prepared)) {
            outbox.park(prepared);
            return;
        }
        Delivery delivery = guarded.publish(new PublishCommand(publisher, prepared.event(), prepared.policy(),
                () -> whenCircuitOpen(prepared)));
        if (delivery == Delivery.PRODUCED) {
            breaker.recordClosed();
        }
    }

    /** The circuit-open branch (spec section 7.5): the outbox when the policy allows it, else fail at once. */
    private Delivery whenCircuitOpen(PreparedEmit prepared) {
        breaker.recordOpen();
        if (prepared.policy().outboxFallbackOnCircuitOpen() && outbox.wired()) {
            outbox.park(prepared);
            return Delivery.OUTBOXED;
        }
        throw new StreamingException(ErrorCode.CIRCUIT_OPEN);
    }

    /**
     * Healthy when the broker answers within 500 ms, whatever the breaker says; otherwise degraded when an outbox
     * captures events meanwhile, down when none does. Down after {@link #close()}.
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
            return outbox.wired() ? Health.degraded(e) : Health.down(e);
        }
    }

    /** @return the circuit breaker's state as last observed by an emit */
    public BreakerState.State circuitState() {
        return breaker.state();
    }

    /** @return the outbox backlog as of the relay's last poll; empty without a relay */
    public OutboxBacklog outboxBacklog() {
        return relay == null ? OutboxBacklog.EMPTY : relay.backlog();
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
                if (relay != null) {
                    relay.close();
                }
            } finally {
                try {
                    publisher.close();
                } finally {
                    probe.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaEmitter{producerId=" + publisher.producerId() + ", closed=" + closed.get() + "}";
    }
}
