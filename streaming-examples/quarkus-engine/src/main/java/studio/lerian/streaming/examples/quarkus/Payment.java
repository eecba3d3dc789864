package studio.lerian.streaming.examples.quarkus;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A captured payment, stored in the transaction that parks its event. */
@Entity
@Table(name = "payment")
public class Payment {

    @Id
    public String id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "amount_cents", nullable = false)
    public long amountCents;
}
