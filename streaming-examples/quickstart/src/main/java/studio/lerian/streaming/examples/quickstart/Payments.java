package studio.lerian.streaming.examples.quickstart;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;

/** A business service that announces what it did: the library's whole API, from the application's side. */
@ApplicationScoped
public class Payments {

    @Inject
    Emitter emitter;

    /**
     * Announces a captured payment. The event id is derived from the payment, so a retry after an infrastructure
     * error re-sends the same event (consumers deduplicate on {@code ce-id}).
     *
     * @param tenant the merchant
     * @param sequence the merchant's payment number
     */
    public void captured(String tenant, int sequence) {
        emitter.emit(EmitRequest.builder(PaymentEvents.PAYMENT_CAPTURED)
                .tenantId(tenant)
                .subject("pay-" + sequence)
                .eventId(tenant + "-pay-" + sequence)
                .payload("{\"sequence\":" + sequence + ",\"amount\":" + (1000 + sequence) + ",\"currency\":\"BRL\"}")
                .build());
    }
}
