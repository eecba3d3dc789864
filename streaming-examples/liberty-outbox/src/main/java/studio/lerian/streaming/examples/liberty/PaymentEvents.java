package studio.lerian.streaming.examples.liberty;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;

/** The events this service emits: one, a captured payment, on {@code lerian.streaming.payment.captured}. */
@ApplicationScoped
public class PaymentEvents implements CatalogProvider {

    /** The definition key the service emits. */
    public static final String PAYMENT_CAPTURED = "payment.captured";

    @Override
    public Collection<EventDefinition> definitions() {
        return List.of(EventDefinition.builder(PAYMENT_CAPTURED)
                .resourceType("payment")
                .eventType("captured")
                .description("A card payment was captured")
                .build());
    }
}
