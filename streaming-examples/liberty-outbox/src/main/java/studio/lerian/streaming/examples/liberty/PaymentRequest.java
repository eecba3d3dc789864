package studio.lerian.streaming.examples.liberty;

/**
 * The body of {@code POST /payments}, bound by JSON-B.
 *
 * @param merchantId the merchant, also the event's tenant (its partition key on Kafka); defaults to {@code merchant-1}
 * @param amountCents the amount, in cents; must be positive (checked after the event is emitted, to show the rollback)
 * @param currency the ISO 4217 code; defaults to BRL
 */
public record PaymentRequest(String merchantId, long amountCents, String currency) {
}
