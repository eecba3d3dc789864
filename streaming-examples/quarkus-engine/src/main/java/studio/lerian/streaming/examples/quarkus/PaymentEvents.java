package studio.lerian.streaming.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.DirectMode;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.OutboxMode;

/** The application's events, and the service that emits them. */
@ApplicationScoped
public class PaymentEvents {

    /** A payment was captured: published at once (the outbox only while the broker is unreachable). */
    public static final EventDefinition CAPTURED = EventDefinition.builder("payment.captured")
            .resourceType("payment").eventType("captured").schemaVersion("1.0.0").build();

    /**
     * A payment was refunded: always through the outbox, so the event exists exactly when the refund commits (the
     * relay publishes it after the commit).
     */
    public static final EventDefinition REFUNDED = EventDefinition.builder("payment.refunded")
            .resourceType("payment").eventType("refunded").schemaVersion("1.0.0")
            .defaultPolicy(DeliveryPolicy.of(true, DirectMode.SKIP, OutboxMode.ALWAYS, DlqMode.NEVER)).build();

    @Inject
    Emitter emitter;

    @Inject
    EntityManager em;

    /**
     * Emits the capture of a payment, keyed by its tenant.
     *
     * @param tenantId the tenant
     * @param paymentId the payment
     * @param amountCents the amount
     */
    public void captured(String tenantId, String paymentId, long amountCents) {
        emitter.emit(EmitRequest.builder("payment.captured").tenantId(tenantId).subject(paymentId)
                .payload(json(paymentId, amountCents)).build());
    }

    /**
     * Stores a refund and parks its event in one transaction: both commit, or neither.
     *
     * @param tenantId the tenant
     * @param refundId the refund
     * @param amountCents the amount
     * @param failAfterEmit whether the business step after the emit fails (the transaction rolls back)
     */
    @Transactional
    public void refunded(String tenantId, String refundId, long amountCents, boolean failAfterEmit) {
        Payment refund = new Payment();
        refund.id = refundId;
        refund.tenantId = tenantId;
        refund.amountCents = -amountCents;
        em.persist(refund);
        emitter.emit(EmitRequest.builder("payment.refunded").tenantId(tenantId).subject(refundId)
                .payload(json(refundId, amountCents)).build());
        if (failAfterEmit) {
            throw new IllegalStateException("the refund was refused after its event was emitted");
        }
    }

    private static String json(String id, long amountCents) {
        return "{\"payment_id\":\"" + id + "\",\"amount_cents\":" + amountCents + "}";
    }
}
