package studio.lerian.streaming.examples.liberty;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A captured card payment: the business data the event travels with. JSON-B writes it as the REST answers' body from
 * its getters.
 */
@Entity
@Table(name = "payments")
public class Payment {

    @Id
    @Column(name = "id", length = 36, nullable = false, updatable = false)
    private String id;

    @Column(name = "merchant_id", length = 64, nullable = false)
    private String merchantId;

    @Column(name = "amount_cents", nullable = false)
    private long amountCents;

    @Column(name = "currency", length = 3, nullable = false)
    private String currency;

    @Column(name = "captured_at", nullable = false)
    private OffsetDateTime capturedAt;

    /** For JPA. */
    protected Payment() {
    }

    /**
     * @param id the payment id
     * @param merchantId the merchant, also the event's tenant
     * @param amountCents the amount, in cents
     * @param currency the ISO 4217 code
     * @param capturedAt when it was captured
     */
    public Payment(String id, String merchantId, long amountCents, String currency, OffsetDateTime capturedAt) {
        this.id = id;
        this.merchantId = merchantId;
        this.amountCents = amountCents;
        this.currency = currency;
        this.capturedAt = capturedAt;
    }

    /** @return the payment id */
    public String getId() {
        return id;
    }

    /** @return the merchant, also the event's tenant */
    public String getMerchantId() {
        return merchantId;
    }

    /** @return the amount, in cents */
    public long getAmountCents() {
        return amountCents;
    }

    /** @return the ISO 4217 code */
    public String getCurrency() {
        return currency;
    }

    /** @return when it was captured */
    public OffsetDateTime getCapturedAt() {
        return capturedAt;
    }
}
