package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;
import studio.lerian.streaming.tck.support.TckRecord;

/**
 * Golden vector G8: a publish the broker refuses for good is copied to {@code <topic>.dlq} with the original key,
 * value and CloudEvents headers followed by the six {@code x-lerian-dlq-*} headers, and the emit still fails as a
 * caller error. The refusal is portable: the test creates the source topic with {@code max.message.bytes=1000}
 * (the dead-letter topic keeps the broker's default) and emits a 4 KiB payload that no codec compresses below it.
 * Caller errors, this one included, never open the circuit breaker.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class DeadLetterTest {

    static final String REFUSED = "payment.refused";
    static final String TOPIC = "lerian.streaming.payment.refused";
    static final String DLQ_TOPIC = TOPIC + ".dlq";

    private static final int MIN_REQUESTS = 4;
    private static final List<String> DLQ_HEADERS = List.of(
            "x-lerian-dlq-source-topic",
            "x-lerian-dlq-error-class",
            "x-lerian-dlq-error-message",
            "x-lerian-dlq-retry-count",
            "x-lerian-dlq-first-failure-at",
            "x-lerian-dlq-producer-id");

    @Deployment
    public static WebArchive deployment() {
        // outbox=never: were caller errors counted, the open breaker would show as CIRCUIT_OPEN, not as a parked row.
        return TckDeployments.war("dead-letter", Map.of(
                        "streaming.cb.min.requests", Integer.toString(MIN_REQUESTS),
                        "streaming.cb.failure.ratio", "0.5",
                        "streaming.cb.timeout.s", "60",
                        "streaming.event.policies", REFUSED + ".outbox=never"),
                DeadLetterTest.class, RefusedEvents.class);
    }

    @Inject
    Emitter emitter;

    @BeforeEach
    public void sourceTopicRefusesLargeRecords() {
        TckBroker.createTopic(TOPIC, 1, Map.of("max.message.bytes", "1000"));
    }

    @Test
    @Assertion(id = "dlq-1", spec = "docs/dead-letters.md; docs/errors.md")
    public void refusedRecordIsCopiedToTheDlqWithTheSixHeaders() {
        String id = UUID.randomUUID().toString();
        byte[] payload = incompressibleJson(4096);
        Instant called = Instant.now();
        EmitException failure = assertThrows(EmitException.class, () -> emitter.emit(fixture(id, payload)));
        Instant returned = Instant.now();
        assertEquals(ErrorClass.SERIALIZATION_ERROR, failure.errorClass(), failure.getMessage());
        assertTrue(StreamingErrors.isCallerError(failure), "a record too large is a caller error");
        assertTrue(failure.getMessage().startsWith("streaming emit failed: class=serialization_error topic=" + TOPIC
                + " resource=payment event=refused: "), failure.getMessage());

        List<TckRecord> copies = TckBroker.awaitEvent(DLQ_TOPIC, id);
        assertEquals(1, copies.size(), "one dead-letter copy of " + id);
        TckRecord dlq = copies.get(0);
        assertEquals("t-abc", dlq.keyString(), "key");
        assertArrayEquals(payload, dlq.value(), "the value is the payload, byte for byte");
        List<String> headers = dlq.headersWithoutTraceContext();
        assertEquals(17, headers.size(), "11 CloudEvents headers and 6 DLQ headers (a trailing W3C trace context "
                + "aside): " + dlq.headerNames());
        assertEquals(List.of(
                "ce-specversion: 1.0",
                "ce-id: " + id,
                "ce-source: " + TckDeployments.SOURCE,
                "ce-type: studio.lerian.payment.refused",
                "ce-time: 2026-04-18T10:00:00Z",
                "ce-schemaversion: 1.0.0",
                "ce-resourcetype: payment",
                "ce-eventtype: refused",
                "ce-subject: tx-123",
                "ce-datacontenttype: application/json",
                "ce-tenantid: t-abc"), headers.subList(0, 11), "the record's CloudEvents headers, in order");
        assertEquals(DLQ_HEADERS, headers.subList(11, 17).stream().map(h -> h.substring(0, h.indexOf(": "))).toList(),
                "the six DLQ headers, in order");
        assertEquals(TOPIC, dlq.header("x-lerian-dlq-source-topic").orElseThrow(), "source topic");
        assertEquals("serialization_error", dlq.header("x-lerian-dlq-error-class").orElseThrow(), "error class");
        assertFalse(dlq.header("x-lerian-dlq-error-message").orElseThrow().isBlank(), "error message");
        assertEquals("0", dlq.header("x-lerian-dlq-retry-count").orElseThrow(), "retry count");
        String first = dlq.header("x-lerian-dlq-first-failure-at").orElseThrow();
        OffsetDateTime at = OffsetDateTime.parse(first);
        assertEquals(ZoneOffset.UTC, at.getOffset(), "first failure in UTC: " + first);
        assertFalse(at.toInstant().isBefore(called.minusSeconds(1)) || at.toInstant().isAfter(returned.plusSeconds(1)),
                first + " is not between the call (" + called + ") and its return (" + returned + ")");
        String producer = dlq.header("x-lerian-dlq-producer-id").orElseThrow();
        assertEquals(producer, UUID.fromString(producer).toString(), "producer id is a UUID");
    }

    /**
     * {@code dlq=never} on the call: no copy. Proven against a later copy, not by waiting: a second refused event of
     * the same key and producer, allowed to go to the DLQ, lands in the same partition after where the first copy would
     * be, so reading up to it shows whether that copy exists.
     */
    @Test
    @Assertion(id = "dlq-2", spec = "docs/dead-letters.md; docs/policies.md §Delivery policies (dlq=never)")
    public void callOverrideDlqNeverWritesNoCopy() {
        String never = UUID.randomUUID().toString();
        String sentinel = UUID.randomUUID().toString();
        EmitException refused = assertThrows(EmitException.class, () -> emitter.emit(fixture(never,
                incompressibleJson(4096)).toBuilder()
                .policyOverride(DeliveryPolicyOverride.builder().dlq(DlqMode.NEVER).build()).build()));
        assertEquals(ErrorClass.SERIALIZATION_ERROR, refused.errorClass(), refused.getMessage());
        assertThrows(EmitException.class, () -> emitter.emit(fixture(sentinel, incompressibleJson(4096))));

        List<TckRecord> read = TckBroker.await(DLQ_TOPIC, r -> r.header("ce-id")
                .filter(i -> i.equals(never) || i.equals(sentinel)).isPresent(), 2, Duration.ofSeconds(20));
        assertTrue(read.stream().anyMatch(r -> r.header("ce-id").orElseThrow().equals(sentinel)),
                "the sentinel's copy arrived");
        assertTrue(read.stream().noneMatch(r -> r.header("ce-id").orElseThrow().equals(never)),
                "no copy of the event whose call said dlq=never");
    }

    @Test
    @Assertion(id = "breaker-4", spec = "docs/policies.md §Circuit breaker (caller errors never open it); "
            + "docs/errors.md")
    public void callerErrorsNeverOpenTheBreaker() {
        for (int i = 0; i < MIN_REQUESTS + 2; i++) {
            StreamingException refused = assertThrows(StreamingException.class, () -> emitter.emit(fixture(
                    UUID.randomUUID().toString(), incompressibleJson(4096))));
            assertTrue(refused instanceof EmitException, "publish refused, not short-circuited: " + refused);
            assertEquals(ErrorCode.EMIT_FAILED, refused.code(), refused.getMessage());
            StreamingException notJson = assertThrows(StreamingException.class, () -> emitter.emit(
                    EmitRequest.builder(REFUSED).tenantId("t-abc").payload("{").build()));
            assertEquals(ErrorCode.NOT_JSON, notJson.code(), notJson.getMessage());
        }
        String id = UUID.randomUUID().toString();
        emitter.emit(EmitRequest.builder(REFUSED).tenantId("t-abc").eventId(id).payload("{\"small\":true}").build());
        assertEquals(1, TckBroker.awaitEvents(TOPIC, Set.of(id), Duration.ofSeconds(20)).size(),
                "after the caller errors a valid event is published, not refused with CIRCUIT_OPEN");
    }

    private static EmitRequest fixture(String id, byte[] payload) {
        return EmitRequest.builder(REFUSED).tenantId("t-abc").subject("tx-123").eventId(id)
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z")).payload(payload).build();
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
    public static class RefusedEvents implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(EventDefinition.builder(REFUSED).resourceType("payment").eventType("refused").build());
        }
    }
}
