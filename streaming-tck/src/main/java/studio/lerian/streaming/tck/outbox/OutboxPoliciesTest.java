package studio.lerian.streaming.tck.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.spi.TckOutbox;
import studio.lerian.streaming.tck.spi.TckOutbox.State;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;
import studio.lerian.streaming.tck.support.TckRecord;
import studio.lerian.streaming.tck.support.TckTransactions;
import studio.lerian.streaming.tck.support.TckWait;

/**
 * The outbox modes of the delivery policy, with the broker up (golden vector G10): {@code outbox=always} from the
 * deployment or from the call parks the event in the outbox inside the caller's JTA transaction, never publishing it
 * directly; the relay then publishes it once. A rolled-back transaction leaves neither a row nor a record. A call's
 * {@code outbox=never} publishes directly even where the deployment says {@code always}.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.OUTBOX)
public class OutboxPoliciesTest {

    static final String PARKED = "ledger.posted";
    static final String PARKED_TOPIC = "lerian.streaming.ledger.posted";
    static final String DIRECT = "ledger.viewed";
    static final String DIRECT_TOPIC = "lerian.streaming.ledger.viewed";

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("outbox-policies", Map.of(
                        "streaming.event.policies", PARKED + ".outbox=always",
                        "streaming.outbox.poll.interval.ms", "200"),
                OutboxPoliciesTest.class, LedgerEvents.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "outbox-1", spec = "docs/outbox.md §What it promises (When: outbox=always, and Atomic with your "
            + "data)")
    public void deploymentOutboxAlwaysParksTheEventInTheCommittedTransactionAndTheRelayPublishesItOnce() {
        String id = UUID.randomUUID().toString();
        String tenant = tenant();
        TckTransactions.commit(() -> emitter.emit(request(PARKED, tenant, id, null)));

        List<State> rows = TckOutbox.require().rowsOf(id);
        assertEquals(1, rows.size(), "one outbox row for the committed event: " + rows);
        assertRelayedOnce(PARKED_TOPIC, tenant, id);
    }

    @Test
    @Assertion(id = "outbox-2", spec = "docs/outbox.md §What it promises (Atomic with your data)")
    public void rolledBackTransactionLeavesNoRowAndNoRecord() {
        String tenant = tenant();
        String rolledBack = UUID.randomUUID().toString();
        String committed = UUID.randomUUID().toString();
        TckTransactions.rollback(() -> emitter.emit(request(PARKED, tenant, rolledBack, null)));
        assertEquals(List.of(), TckOutbox.require().rowsOf(rolledBack), "no row for the rolled-back event");

        // Same key, emitted after: were the rolled-back event parked, it would be relayed ahead of this one.
        TckTransactions.commit(() -> emitter.emit(request(PARKED, tenant, committed, null)));
        List<TckRecord> read = TckBroker.await(PARKED_TOPIC, r -> tenant.equals(r.keyString()), 1,
                Duration.ofSeconds(30));
        assertEquals(1, read.size(), "the committed event of " + tenant + " was relayed");
        assertEquals(committed, read.get(0).header("ce-id").orElseThrow(),
                "the first record of the key is the committed event, nothing of the rolled-back one");
        assertEquals(List.of(), TckOutbox.require().rowsOf(rolledBack), "still no row for the rolled-back event");
    }

    @Test
    @Assertion(id = "outbox-3", spec = "docs/policies.md §Delivery policies (the call's override wins); docs/outbox.md")
    public void callOverrideOutboxAlwaysParksAnEventOfTheDefaultPolicy() {
        String id = UUID.randomUUID().toString();
        String tenant = tenant();
        TckTransactions.commit(() -> emitter.emit(request(DIRECT, tenant, id,
                DeliveryPolicyOverride.builder().outbox(OutboxMode.ALWAYS).build())));
        assertEquals(1, TckOutbox.require().rowsOf(id).size(), "one outbox row for the event");
        assertRelayedOnce(DIRECT_TOPIC, tenant, id);
    }

    @Test
    @Assertion(id = "outbox-4", spec = "docs/policies.md §Delivery policies (the call's override wins)")
    public void callOverrideOutboxNeverPublishesDirectlyWhereTheDeploymentSaysAlways() {
        String id = UUID.randomUUID().toString();
        emitter.emit(request(PARKED, tenant(), id, DeliveryPolicyOverride.builder().outbox(OutboxMode.NEVER).build()));
        assertEquals(1, TckBroker.awaitEvent(PARKED_TOPIC, id).size(), "published");
        assertEquals(List.of(), TckOutbox.require().rowsOf(id), "no outbox row: published directly");
    }

    /**
     * The relay publishes the row (its state becomes {@code PUBLISHED}), and the record is on the topic once: a second
     * event of the key, relayed after it, bounds the read.
     */
    private void assertRelayedOnce(String topic, String tenant, String id) {
        TckWait.until("the row of " + id + " is PUBLISHED", Duration.ofSeconds(30),
                () -> TckOutbox.require().rowsOf(id).equals(List.of(State.PUBLISHED)));
        String after = UUID.randomUUID().toString();
        emitter.emit(request(topic.equals(PARKED_TOPIC) ? PARKED : DIRECT, tenant, after,
                DeliveryPolicyOverride.builder().outbox(OutboxMode.ALWAYS).build()));
        List<TckRecord> read = TckBroker.await(topic, r -> tenant.equals(r.keyString()), 2, Duration.ofSeconds(30));
        assertEquals(List.of(id, after), read.stream().map(r -> r.header("ce-id").orElseThrow()).toList(),
                "the relayed event once, then the next one of its key");
        assertTrue(read.get(0).headers().contains("ce-tenantid: " + tenant), "relayed record keeps its headers");
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    private static EmitRequest request(String key, String tenant, String id, DeliveryPolicyOverride override) {
        EmitRequest.Builder b = EmitRequest.builder(key).tenantId(tenant).eventId(id).payload("{\"n\":1}");
        return override == null ? b.build() : b.policyOverride(override).build();
    }

    /** Two definitions: one the deployment parks, one with the default policy. */
    @ApplicationScoped
    public static class LedgerEvents implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(
                    EventDefinition.builder(PARKED).resourceType("ledger").eventType("posted").build(),
                    EventDefinition.builder(DIRECT).resourceType("ledger").eventType("viewed").build());
        }
    }
}
