package studio.lerian.streaming.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.EventDefinition;

/** The application's events, and the service that emits them. */
@ApplicationScoped
public class PaymentEvents {

    /** A payment was captured. */
    public static final EventDefinition CAPTURED = EventDefinition.builder("payment.captured")
            .resourceType("payment").eventType("captured").schemaVersion("1.0.0").build();

    @Inject
    Emitter emitter;

    /**
     * Emits the capture of a payment, keyed by its tenant.
     *
     * @param tenantId the tenant
     * @param paymentId the payment
     * @param amountCents the amount
     */
    public void captured(String tenantId, String paymentId, long amountCents) {
        emitter.emit(EmitRequest.builder("payment.captured").tenantId(tenantId).subject(paymentId)
                .payload("{\"payment_id\":\"" + paymentId + "\",\"amount_cents\":" + amountCents + "}").build());
    }
}
