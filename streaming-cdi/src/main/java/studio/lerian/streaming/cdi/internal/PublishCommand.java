package studio.lerian.streaming.cdi.internal;

import java.util.function.Supplier;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * One guarded publish: what to send, and what to do instead when the circuit is open.
 *
 * @param publisher the direct publisher
 * @param event the event
 * @param policy its resolved policy
 * @param whenOpen the circuit-open branch: park the event in the outbox, or throw {@code CIRCUIT_OPEN}
 */
public record PublishCommand(KafkaPublisher publisher, ResolvedEvent event, DeliveryPolicy policy,
        Supplier<Delivery> whenOpen) {
}
