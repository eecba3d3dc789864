package studio.lerian.streaming.examples.quarkuscdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;

/** Emits the order events: {@code @Inject Emitter}, as on any other runtime. */
@ApplicationScoped
public class Orders {

    @Inject
    Emitter emitter;

    /**
     * @param tenantId the tenant
     * @param orderId the order
     */
    public void placed(String tenantId, String orderId) {
        emitter.emit(EmitRequest.builder("order.placed").tenantId(tenantId).subject(orderId)
                .payload("{\"order_id\":\"" + orderId + "\"}").build());
    }
}
