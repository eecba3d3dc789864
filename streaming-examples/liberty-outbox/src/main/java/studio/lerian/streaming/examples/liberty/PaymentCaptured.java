package studio.lerian.streaming.examples.liberty;

import java.time.OffsetDateTime;

/**
 * The payload of {@code payment.captured}: what consumers of the topic read. A type of its own rather than the
 * entity, so the event's shape is a contract that changes only on purpose. The library writes it as JSON with the
 * server's JSON-B.
 *
 * @param paymentId the payment
 * @param merchantId the merchant (also the record's key)
 * @param amountCents the amount, in cents
 * @param currency the ISO 4217 code
 * @param capturedAt when it was captured
 */
public record PaymentCaptured(String paymentId, String merchantId, long amountCents, String currency,
        OffsetDateTime capturedAt) {

    static PaymentCaptured of(Payment p) {
        return new PaymentCaptured(p.getId(), p.getMerchantId(), p.getAmountCents(), p.getCurrency(),
                p.getCapturedAt());
    }
}
