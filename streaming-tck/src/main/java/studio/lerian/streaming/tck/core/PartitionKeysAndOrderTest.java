package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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
 * Topics and partition keys: every record of a tenant is keyed by the tenant, so all of them land in one partition of
 * a many-partition topic, in the order they were emitted (golden vector G5); a system event is keyed
 * {@code system:<eventType>} whatever the tenant.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class PartitionKeysAndOrderTest {

    static final String ORDER_PLACED = "order.placed";
    static final String ORDER_PLACED_TOPIC = "lerian.streaming.order.placed";
    static final String NODE_ANNOUNCE = "platform.announce";
    static final String NODE_ANNOUNCE_TOPIC = "lerian.streaming.platform.announce";

    private static final int PARTITIONS = 6;

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("partition-keys", Map.of("streaming.allow.system.events", "true"),
                PartitionKeysAndOrderTest.class, OrderEvents.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "keys-1", spec = "docs/events-and-records.md (key); docs/guarantees.md (order)")
    public void eachTenantsEventsShareOnePartitionInEmitOrder() {
        TckBroker.createTopic(ORDER_PLACED_TOPIC, PARTITIONS, Map.of());
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> tenants = List.of("t-a-" + run, "t-b-" + run, "t-c-" + run, "t-d-" + run);
        Map<String, List<String>> emitted = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            String tenant = tenants.get(i % tenants.size());
            String id = UUID.randomUUID().toString();
            emitter.emit(EmitRequest.builder(ORDER_PLACED).tenantId(tenant).eventId(id)
                    .payload("{\"n\":" + i + "}").build());
            emitted.computeIfAbsent(tenant, t -> new ArrayList<>()).add(id);
        }
        Set<String> ids = emitted.values().stream().flatMap(List::stream)
                .collect(Collectors.toCollection(LinkedHashSet::new));

        List<TckRecord> records = TckBroker.awaitEvents(ORDER_PLACED_TOPIC, ids, Duration.ofSeconds(30));
        assertEquals(ids.size(), records.size(), "every emitted record read back once");
        for (String tenant : tenants) {
            List<TckRecord> ofTenant = records.stream().filter(r -> tenant.equals(r.keyString())).toList();
            assertEquals(1, ofTenant.stream().map(TckRecord::partition).distinct().count(),
                    "one partition for tenant " + tenant);
            assertEquals(emitted.get(tenant), ofTenant.stream().map(r -> r.header("ce-id").orElseThrow()).toList(),
                    "records of " + tenant + " in emit order");
            ofTenant.forEach(r -> assertEquals(tenant, r.header("ce-tenantid").orElse(null), "ce-tenantid"));
        }
        assertEquals(ids.size(), tenants.stream().mapToLong(t -> records.stream()
                .filter(r -> t.equals(r.keyString())).count()).sum(), "every record keyed by its tenant");
    }

    @Test
    @Assertion(id = "keys-2", spec = "docs/events-and-records.md (key of a system event)")
    public void systemEventIsKeyedBySystemAndItsEventTypeWhateverTheTenant() {
        String withTenant = UUID.randomUUID().toString();
        String withoutTenant = UUID.randomUUID().toString();
        emitter.emit(EmitRequest.builder(NODE_ANNOUNCE).tenantId("ignored").eventId(withTenant).payload("{}")
                .build());
        emitter.emit(EmitRequest.builder(NODE_ANNOUNCE).eventId(withoutTenant).payload("{}").build());
        List<TckRecord> records = TckBroker.awaitEvents(NODE_ANNOUNCE_TOPIC, Set.of(withTenant, withoutTenant),
                Duration.ofSeconds(20));
        assertEquals(2, records.size(), "both system events read back");
        records.forEach(r -> assertEquals("system:announce", r.keyString(), "key of " + r.header("ce-id")));
    }

    /** A non-system and a system definition. */
    @ApplicationScoped
    public static class OrderEvents implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(
                    EventDefinition.builder(ORDER_PLACED).resourceType("order").eventType("placed").build(),
                    EventDefinition.builder(NODE_ANNOUNCE).resourceType("platform").eventType("announce")
                            .systemEvent(true).build());
        }
    }
}
