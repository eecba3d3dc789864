package studio.lerian.streaming.tck.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.spi.TckOutbox;
import studio.lerian.streaming.tck.spi.TckOutbox.State;
import studio.lerian.streaming.tck.spi.TckPorting;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;
import studio.lerian.streaming.tck.support.TckRecord;
import studio.lerian.streaming.tck.support.TckTransactions;
import studio.lerian.streaming.tck.support.TckWait;

/**
 * One parked event the broker refuses for good does not hold up the relay: the events of other tenants parked behind
 * it are published, in order, and recorded as published; the refused row ends {@code FAILED} (with its dead-letter
 * copy, as the policy allows one) or {@code INVALID}; and its own tenant's later events follow it out.
 *
 * <p>The refusal is portable, as in {@code core.DeadLetterTest}: this class's own event goes to a topic created with
 * {@code max.message.bytes=1000} (its dead-letter topic keeps the broker's default), and the refused event carries a
 * 4 KiB payload no codec compresses below that. During a broker outage, with the breaker open, the refused event of
 * tenant A is parked first, then small events of tenants B, C and A. The relay claims five rows at a time, so the
 * other tenants' 80 rows take many polls and most of them still wait when the refused row is first claimed with the
 * broker back: a relay whose poll fails around that row (and so never records the outcomes of its batch) publishes
 * them again and again, or not at all, but never marks them published. The retry settings let an implementation
 * that retries such a row up to {@code STREAMING_OUTBOX_MAX_ATTEMPTS} reach its last attempt within the test's waits,
 * while the attempts the relay makes during the outage stay far below that number.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.OUTBOX)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class OutboxRefusedRowTest {

    static final String PAYOUT = "payout.refused";
    static final String TOPIC = "lerian.streaming.payout.refused";
    static final String DLQ_TOPIC = TOPIC + ".dlq";

    private static final int MIN_REQUESTS = 2;
    private static final int PER_TENANT = 40;
    private static final int A_AFTER = 5;
    private static final byte[] SMALL = "{\"small\":true}".getBytes(StandardCharsets.UTF_8);

    /** Fresh tenants per run: rows left in a reused table by an interrupted run cannot stand in front of them. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String OPENER = "t-refused-opener-" + RUN;
    private static final String A = "t-refused-a-" + RUN;
    private static final String B = "t-refused-b-" + RUN;
    private static final String C = "t-refused-c-" + RUN;

    /** The events of this class, kept between its ordered steps (in the server). */
    private static final List<String> REFUSED = new ArrayList<>();
    private static final List<String> A_EVENTS = new ArrayList<>();
    private static final List<String> B_EVENTS = new ArrayList<>();
    private static final List<String> C_EVENTS = new ArrayList<>();

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("outbox-refused-row", Map.of(
                        "streaming.cb.min.requests", Integer.toString(MIN_REQUESTS),
                        "streaming.cb.failure.ratio", "0.5",
                        "streaming.cb.timeout.s", "300",
                        "streaming.record.delivery.timeout.s", "2",
                        // a few rows per claim: the other tenants' rows take many polls, so the refused row is
                        // claimed, and refused, while many of them are still waiting behind it
                        "streaming.outbox.batch.size", "5",
                        "streaming.outbox.poll.interval.ms", "200",
                        "streaming.outbox.backoff.initial.ms", "100",
                        "streaming.outbox.backoff.max.ms", "200",
                        // an outage of this test costs a row a handful of attempts (each waits for the delivery
                        // timeout, or half of it for metadata); after it, 100 quick attempts end the refused row
                        // within the test's waits
                        "streaming.outbox.max.attempts", "100"),
                OutboxRefusedRowTest.class, PayoutEvents.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Order(1)
    public void theTopicRefusesLargeRecords() {
        TckBroker.createTopic(TOPIC, 1, Map.of("max.message.bytes", "1000"));
    }

    @Test
    @Order(2)
    @RunAsClient
    public void stopTheBroker() {
        TckPorting.load().stopBroker();
    }

    @Test
    @Order(3)
    public void behindARefusedEventEventsOfThreeTenantsAreParked() {
        int failures = 0;
        while (true) {
            try {
                TckTransactions.commit(() -> emitter.emit(request(OPENER, UUID.randomUUID().toString(), SMALL)));
                break;
            } catch (EmitException e) {
                failures++;
                assertFalse(StreamingErrors.isCallerError(e), "a publish failure is not a caller error: " + e);
                assertTrue(failures <= MIN_REQUESTS, "the breaker did not open after " + failures + " failures");
            }
        }
        String refused = UUID.randomUUID().toString();
        TckTransactions.commit(() -> emitter.emit(request(A, refused, incompressibleJson(4096))));
        REFUSED.add(refused);
        for (int i = 0; i < PER_TENANT; i++) {
            park(B, B_EVENTS);
            park(C, C_EVENTS);
            if (i < A_AFTER) {
                park(A, A_EVENTS);
            }
        }
        TckOutbox outbox = TckOutbox.require();
        for (String id : List.of(refused, B_EVENTS.get(0), C_EVENTS.get(0), A_EVENTS.get(0))) {
            List<State> rows = outbox.rowsOf(id);
            assertEquals(1, rows.size(), "one row for parked event " + id + ": " + rows);
            assertTrue(rows.get(0) == State.PENDING || rows.get(0) == State.PROCESSING,
                    "not published while the broker is down: " + rows);
        }
    }

    @Test
    @Order(4)
    @RunAsClient
    public void startTheBroker() {
        TckPorting.load().startBroker();
    }

    @Test
    @Order(5)
    @Assertion(id = "outbox-9", spec = "docs/outbox.md §The relay; docs/outbox.md §Ordering across an outage; "
            + "docs/guarantees.md (Nothing lost)")
    public void theOtherTenantsEventsArePublishedInOrderPastTheRefusedOne() {
        assertFalse(REFUSED.isEmpty(), "the outage step ran");
        Set<String> others = new LinkedHashSet<>(B_EVENTS);
        others.addAll(C_EVENTS);
        List<TckRecord> read = TckBroker.awaitEvents(TOPIC, others, Duration.ofSeconds(60));
        assertEquals(B_EVENTS, firstDeliveries(read, B), "the events of " + B + ", each once, in emit order");
        assertEquals(C_EVENTS, firstDeliveries(read, C), "the events of " + C + ", each once, in emit order");
        // On the topic is not enough: a relay whose batch failed around the refused row may publish the others again
        // and again without ever recording them.
        TckOutbox outbox = TckOutbox.require();
        TckWait.until("every row of " + B + " and " + C + " is PUBLISHED", Duration.ofSeconds(30),
                () -> others.stream().allMatch(id -> outbox.rowsOf(id).equals(List.of(State.PUBLISHED))));
    }

    @Test
    @Order(6)
    @Assertion(id = "outbox-10", spec = "docs/outbox.md §The relay; docs/dead-letters.md; docs/guarantees.md")
    public void theRefusedRowEndsFailedWithItsDeadLetterOrInvalidAndItsTenantGoesOn() {
        assertFalse(REFUSED.isEmpty(), "the outage step ran");
        String refused = REFUSED.get(0);
        TckOutbox outbox = TckOutbox.require();
        TckWait.until("the refused row is FAILED or INVALID", Duration.ofSeconds(60), () -> {
            List<State> rows = outbox.rowsOf(refused);
            return rows.equals(List.of(State.FAILED)) || rows.equals(List.of(State.INVALID));
        });
        if (outbox.rowsOf(refused).equals(List.of(State.FAILED))) {
            // FAILED is copied to the DLQ when the policy allows: the default policy, dlq=on_routable_failure
            List<TckRecord> copies = TckBroker.await(DLQ_TOPIC, r -> r.header("ce-id").filter(refused::equals)
                    .isPresent(), 1, Duration.ofSeconds(30));
            assertFalse(copies.isEmpty(), "the FAILED row's dead-letter copy on " + DLQ_TOPIC);
            assertEquals(A, copies.get(0).keyString(), "the copy keeps the key");
        }
        List<TckRecord> read = TckBroker.awaitEvents(TOPIC, new LinkedHashSet<>(A_EVENTS), Duration.ofSeconds(30));
        assertEquals(A_EVENTS, firstDeliveries(read, A), "the events of " + A + " after the refused one, each once, in "
                + "emit order");
        TckWait.until("every later row of " + A + " is PUBLISHED", Duration.ofSeconds(30),
                () -> A_EVENTS.stream().allMatch(id -> outbox.rowsOf(id).equals(List.of(State.PUBLISHED))));
    }

    private void park(String tenant, List<String> events) {
        String id = UUID.randomUUID().toString();
        TckTransactions.commit(() -> emitter.emit(request(tenant, id, SMALL)));
        events.add(id);
    }

    /** The ids of a tenant's records (keyed by it) in the order they were read, each kept at its first delivery. */
    private static List<String> firstDeliveries(List<TckRecord> read, String tenant) {
        Set<String> seen = new HashSet<>();
        List<String> ids = new ArrayList<>();
        for (TckRecord r : read) {
            if (tenant.equals(r.keyString())) {
                String id = r.header("ce-id").orElseThrow();
                if (seen.add(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private static EmitRequest request(String tenant, String id, byte[] payload) {
        return EmitRequest.builder(PAYOUT).tenantId(tenant).eventId(id).payload(payload).build();
    }

    /** A JSON object of exactly {@code bytes} bytes whose string is random base64: no codec shrinks it much. */
    private static byte[] incompressibleJson(int bytes) {
        String prefix = "{\"blob\":\"";
        String suffix = "\"}";
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        String blob = Base64.getEncoder().withoutPadding().encodeToString(random)
                .substring(0, bytes - prefix.length() - suffix.length());
        return (prefix + blob + suffix).getBytes(StandardCharsets.UTF_8);
    }

    /** The definition whose topic refuses large records. */
    @ApplicationScoped
    public static class PayoutEvents implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(EventDefinition.builder(PAYOUT).resourceType("payout").eventType("refused").build());
        }
    }
}
