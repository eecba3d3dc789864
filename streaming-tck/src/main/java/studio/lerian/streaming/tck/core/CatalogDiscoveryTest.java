package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;
import studio.lerian.streaming.tck.support.TckRecord;

/**
 * The catalog is assembled from every source the README names: {@code CatalogProvider} beans (several of them),
 * {@code @Produces EventDefinition} methods and {@code META-INF/services} providers. An emit of a key from each source
 * is accepted and reaches the topic its definition derives.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class CatalogDiscoveryTest {

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("catalog-discovery", CatalogDiscoveryTest.class, AccountEvents.class,
                LedgerEvents.class, ProducedDefinition.class, ServiceLoadedEvents.class)
                .addAsServiceProvider(CatalogProvider.class, ServiceLoadedEvents.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "catalog-1", spec = "README §A minimal application (CatalogProvider beans)")
    public void definitionsOfEveryCatalogProviderBeanAreKnown() {
        assertReachesTopic("account.opened", "lerian.streaming.account.opened");
        assertReachesTopic("ledger.closed", "lerian.streaming.ledger.closed.v10");
    }

    @Test
    @Assertion(id = "catalog-2", spec = "README §A minimal application (@Produces EventDefinition)")
    public void producedEventDefinitionIsKnown() {
        assertReachesTopic("invoice.issued", "lerian.streaming.invoice.issued");
    }

    @Test
    @Assertion(id = "catalog-3", spec = "README §A minimal application (META-INF/services)")
    public void serviceLoadedCatalogProviderIsKnown() {
        assertReachesTopic("card.blocked", "lerian.streaming.card.blocked.v2");
    }

    private void assertReachesTopic(String key, String topic) {
        String id = UUID.randomUUID().toString();
        emitter.emit(EmitRequest.builder(key).tenantId("t-catalog").eventId(id).payload("{}").build());
        List<TckRecord> records = TckBroker.awaitEvent(topic, id);
        assertEquals(1, records.size(), key + " on " + topic);
    }

    /** A first provider bean. */
    @ApplicationScoped
    public static class AccountEvents implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(EventDefinition.builder("account.opened").resourceType("account").eventType("opened")
                    .build());
        }
    }

    /** A second provider bean; its schema version 10.0.0 gives the {@code .v10} topic (G4). */
    @ApplicationScoped
    public static class LedgerEvents implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(EventDefinition.builder("ledger.closed").resourceType("ledger").eventType("closed")
                    .schemaVersion("10.0.0").build());
        }
    }

    /** A definition produced by a CDI producer method. */
    @ApplicationScoped
    public static class ProducedDefinition {
        @Produces
        EventDefinition invoiceIssued() {
            return EventDefinition.builder("invoice.issued").resourceType("invoice").eventType("issued").build();
        }
    }

    /** A provider that is not a bean (no bean-defining annotation), registered in META-INF/services. */
    public static class ServiceLoadedEvents implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(EventDefinition.builder("card.blocked").resourceType("card").eventType("blocked")
                    .schemaVersion("2.3.1").build());
        }
    }
}
