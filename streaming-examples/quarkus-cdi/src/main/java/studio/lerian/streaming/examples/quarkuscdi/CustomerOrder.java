package studio.lerian.streaming.examples.quarkuscdi;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An order, stored in the transaction that parks its event. */
@Entity
@Table(name = "customer_order")
public class CustomerOrder {

    @Id
    public String id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String status;
}
