package studio.lerian.streaming.examples.liberty;

/** The body of {@code POST /payments}, bound by JSON-B. */
public class PaymentRequest {

    /** The merchant, also the event's tenant (its partition key on Kafka). */
    public String merchantId;

    /** The amount, in cents; must be positive (checked after the event is emitted, to show the rollback). */
    public long amountCents;

    /** The ISO 4217 code; defaults to BRL. */
    public String currency;
}
