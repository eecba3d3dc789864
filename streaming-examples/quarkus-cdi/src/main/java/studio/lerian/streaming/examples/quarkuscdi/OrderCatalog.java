package studio.lerian.streaming.examples.quarkuscdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.DirectMode;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.spi.CatalogProvider;

/** The application's events, found by the library as a CDI bean. */
@ApplicationScoped
public class OrderCatalog implements CatalogProvider {

    /** An order was placed. */
    public static final EventDefinition PLACED = EventDefinition.builder("order.placed")
            .resourceType("order").eventType("placed").schemaVersion("1.0.0").build();

    /** An order was cancelled: always through the outbox, so the event exists exactly when the cancellation commits. */
    public static final EventDefinition CANCELLED = EventDefinition.builder("order.cancelled")
            .resourceType("order").eventType("cancelled").schemaVersion("1.0.0")
            .defaultPolicy(DeliveryPolicy.of(true, DirectMode.SKIP, OutboxMode.ALWAYS, DlqMode.NEVER)).build();

    @Override
    public Collection<EventDefinition> definitions() {
        return List.of(PLACED, CANCELLED);
    }
}
