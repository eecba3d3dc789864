package studio.lerian.streaming.examples.quarkuscdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;

/** Emits the order events: {@code @Inject Emitter}, as on any other runtime. */
@ApplicationScoped
public class Orders {

    @Inject
    Emitter emitter;

    @Inject
    EntityManager em;

    /**
     * @param tenantId the tenant
     * @param orderId the order
     */
    public void placed(String tenantId, String orderId) {
        emitter.emit(EmitRequest.builder("order.placed").tenantId(tenantId).subject(orderId)
                .payload("{\"order_id\":\"" + orderId + "\"}").build());
    }

    /**
     * Stores a cancelled order and parks its event in one transaction: both commit, or neither.
     *
     * @param tenantId the tenant
     * @param orderId the order
     * @param failAfterEmit whether the business step after the emit fails (the transaction rolls back)
     */
    @Transactional
    public void cancelled(String tenantId, String orderId, boolean failAfterEmit) {
        CustomerOrder order = new CustomerOrder();
        order.id = orderId;
        order.tenantId = tenantId;
        order.status = "CANCELLED";
        em.persist(order);
        emitter.emit(EmitRequest.builder("order.cancelled").tenantId(tenantId).subject(orderId)
                .payload("{\"order_id\":\"" + orderId + "\"}").build());
        if (failAfterEmit) {
            throw new IllegalStateException("the cancellation was refused after its event was emitted");
        }
    }
}
