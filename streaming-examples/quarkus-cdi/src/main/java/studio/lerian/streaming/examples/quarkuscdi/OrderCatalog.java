package studio.lerian.streaming.examples.quarkuscdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;

/** The application's events, found by the library as a CDI bean. */
@ApplicationScoped
public class OrderCatalog implements CatalogProvider {

    /** An order was placed. */
    public static final EventDefinition PLACED = EventDefinition.builder("order.placed")
            .resourceType("order").eventType("placed").schemaVersion("1.0.0").build();

    @Override
    public Collection<EventDefinition> definitions() {
        return List.of(PLACED);
    }
}
