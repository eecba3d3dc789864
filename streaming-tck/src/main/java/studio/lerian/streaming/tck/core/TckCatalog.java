package studio.lerian.streaming.tck.core;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;

/** The catalog of the core tests: the golden-vector definition {@code transaction.created}. */
@ApplicationScoped
public class TckCatalog implements CatalogProvider {

    /** The definition key. */
    public static final String TRANSACTION_CREATED = "transaction.created";

    /** Its topic. */
    public static final String TRANSACTION_CREATED_TOPIC = "lerian.streaming.transaction.created";

    @Override
    public Collection<EventDefinition> definitions() {
        return List.of(EventDefinition.builder(TRANSACTION_CREATED).resourceType("transaction").eventType("created")
                .build());
    }
}
