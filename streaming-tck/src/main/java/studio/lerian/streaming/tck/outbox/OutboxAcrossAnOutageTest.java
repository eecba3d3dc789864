package studio.lerian.streaming.tck.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.core.TckCatalog;
import studio.lerian.streaming.tck.spi.TckOutbox;
import studio.lerian.streaming.tck.spi.TckOutbox.State;
import studio.lerian.streaming.tck.spi.TckPorting;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;
import studio.lerian.streaming.tck.support.TckRecord;
import studio.lerian.streaming.tck.support.TckTransactions;
import studio.lerian.streaming.tck.support.TckWait;

/**
 * No event lost across a broker outage, with the default policy ({@code outbox=fallback_on_circuit_open}): once the
 * breaker is open, emits park their events in the outbox inside the caller's JTA transaction (a rollback discards the
 * row, a commit keeps it), health is {@code DEGRADED}, and after the broker returns the relay publishes every committed
 * event, in emit order for the tenant, and nothing of the rolled-back one. The steps run in order; the broker is
 * stopped and started through the porting from client-side steps. The breaker's delay is long enough that it stays
 * open for the whole outage.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.OUTBOX)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class OutboxAcrossAnOutageTest {

    private static final int MIN_REQUESTS = 4;
    private static final String TENANT = "t-outbox-outage";

    /** The events of this class, kept between its ordered steps (one test instance serves all in the server). */
    private static final Set<String> COMMITTED = new LinkedHashSet<>();
    private static final List<String> ROLLED_BACK = new ArrayList<>();
    private static String direct = "";

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("outbox-outage", Map.of(
                        "streaming.cb.min.requests", Integer.toString(MIN_REQUESTS),
                        "streaming.cb.failure.ratio", "0.5",
                        "streaming.cb.timeout.s", "300",
                        "streaming.record.delivery.timeout.s", "6",
                        "streaming.outbox.poll.interval.ms", "200",
                        "streaming.outbox.backoff.max.ms", "1000",
                        "streaming.outbox.max.attempts", "1000"),
                OutboxAcrossAnOutageTest.class, TckCatalog.class);
    }

    @Inject
    Emitter emitter;

    @Inject
    @Readiness
    Instance<HealthCheck> readiness;

    @Test
    @Order(1)
    @Assertion(id = "outbox-5", spec = "docs/outbox.md §What it promises (When: only while the circuit is open)")
    public void withTheBrokerUpTheDefaultPolicyPublishesDirectly() {
        // The topic exists before the first publish: the producer's short blocking time (half the delivery timeout)
        // then only covers a metadata round trip, not the topic's creation. A failure here would count against the
        // breaker, whose long delay would then park the events this step expects published.
        TckBroker.createTopic(TckCatalog.TRANSACTION_CREATED_TOPIC, 1, Map.of());
        String id = UUID.randomUUID().toString();
        direct = id;
        TckTransactions.commit(() -> emitter.emit(request(id)));
        assertEquals(1, TckBroker.awaitEvent(TckCatalog.TRANSACTION_CREATED_TOPIC, id).size(), "published");
        assertEquals(List.of(), TckOutbox.require().rowsOf(id), "no outbox row while the breaker is closed");
    }

    @Test
    @Order(2)
    @RunAsClient
    public void stopTheBroker() {
        TckPorting.load().stopBroker();
    }

    @Test
    @Order(3)
    @Assertion(id = "outbox-6", spec = "docs/outbox.md §What it promises (When: circuit open, "
            + "fallback_on_circuit_open, and Atomic with your data)")
    public void onceTheBreakerIsOpenEmitsJoinTheCallersTransaction() {
        int failures = 0;
        while (true) {
            String id = UUID.randomUUID().toString();
            try {
                TckTransactions.commit(() -> emitter.emit(request(id)));
                COMMITTED.add(id);
                break;
            } catch (EmitException e) {
                failures++;
                assertFalse(StreamingErrors.isCallerError(e), "a publish failure is not a caller error: " + e);
                assertTrue(failures <= MIN_REQUESTS, "the breaker did not open after " + failures + " failures");
            }
        }
        String kept = UUID.randomUUID().toString();
        String discarded = UUID.randomUUID().toString();
        String keptAfter = UUID.randomUUID().toString();
        TckTransactions.commit(() -> emitter.emit(request(kept)));
        TckTransactions.rollback(() -> emitter.emit(request(discarded)));
        TckTransactions.commit(() -> emitter.emit(request(keptAfter)));
        COMMITTED.add(kept);
        COMMITTED.add(keptAfter);
        ROLLED_BACK.add(discarded);

        TckOutbox outbox = TckOutbox.require();
        for (String id : COMMITTED) {
            List<State> rows = outbox.rowsOf(id);
            assertEquals(1, rows.size(), "one row for committed event " + id + ": " + rows);
            assertTrue(rows.get(0) == State.PENDING || rows.get(0) == State.PROCESSING,
                    "not published while the broker is down: " + rows);
        }
        assertEquals(List.of(), outbox.rowsOf(discarded), "the rolled-back transaction took its row with it");
        assertTrue(outbox.unpublished() >= COMMITTED.size(), "unpublished rows: " + outbox.unpublished());
    }

    @Test
    @Order(4)
    @Assertion(id = "health-5", spec = "docs/operations.md §Health (DEGRADED while an outbox captures events)")
    public void healthIsDegradedWhileTheOutboxCapturesEvents() {
        TckWait.until("health is DEGRADED with the broker down", Duration.ofSeconds(20),
                () -> emitter.health().state() == HealthState.DEGRADED);
        assertTrue(emitter.health().cause().isPresent(), "a degraded health has a cause");
    }

    @Test
    @Order(5)
    @Tag(TckTags.HEALTH)
    @Assertion(id = "health-6", spec = "docs/operations.md §Readiness (UP with state=degraded)")
    public void readinessIsUpAndSaysDegradedWhileTheOutboxCapturesEvents() {
        HealthCheckResponse r = readiness.stream().map(HealthCheck::call)
                .filter(c -> "lib-streaming".equals(c.getName())).findFirst().orElseThrow();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus(), "status");
        assertEquals(Optional.of("degraded"), r.getData().flatMap(d -> Optional.ofNullable(d.get("state")))
                .map(Object::toString), "state");
    }

    @Test
    @Order(6)
    @RunAsClient
    public void startTheBroker() {
        TckPorting.load().startBroker();
    }

    @Test
    @Order(7)
    @Assertion(id = "outbox-7", spec = "docs/outbox.md §The relay; docs/outbox.md §Ordering across an outage; "
            + "docs/guarantees.md")
    public void afterRecoveryTheRelayPublishesEveryCommittedEventInOrderAndNothingElse() {
        assertFalse(COMMITTED.isEmpty(), "the outage step ran");
        // The records of this class's tracked events (a publish that failed during the outage has an untracked id).
        Set<String> tracked = new LinkedHashSet<>(COMMITTED);
        tracked.add(direct);
        tracked.addAll(ROLLED_BACK);
        List<TckRecord> read = TckBroker.await(TckCatalog.TRANSACTION_CREATED_TOPIC,
                r -> r.header("ce-id").filter(tracked::contains).isPresent(), COMMITTED.size() + 1,
                Duration.ofSeconds(60));
        List<String> ids = read.stream().map(r -> r.header("ce-id").orElseThrow()).toList();
        assertEquals(COMMITTED.size() + 1, ids.size(), "the direct event and every committed event: " + ids);
        assertEquals(direct, ids.get(0), "the event published before the outage comes first");
        assertEquals(List.copyOf(COMMITTED), ids.subList(1, ids.size()), "committed events in emit order, once each");
        assertTrue(read.stream().allMatch(r -> TENANT.equals(r.keyString())), "keyed by the tenant");
        assertTrue(ids.stream().noneMatch(ROLLED_BACK::contains), "nothing of the rolled-back transaction");
        TckWait.until("every committed row is PUBLISHED", Duration.ofSeconds(30), () -> COMMITTED.stream()
                .allMatch(id -> TckOutbox.require().rowsOf(id).equals(List.of(State.PUBLISHED))));
        TckWait.until("health is HEALTHY again", Duration.ofSeconds(30),
                () -> emitter.health().state() == HealthState.HEALTHY);
    }

    private static EmitRequest request(String id) {
        return EmitRequest.builder(TckCatalog.TRANSACTION_CREATED).tenantId(TENANT).eventId(id)
                .payload("{\"outage\":true}").build();
    }
}
