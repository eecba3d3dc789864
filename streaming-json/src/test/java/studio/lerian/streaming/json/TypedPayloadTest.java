package studio.lerian.streaming.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.internal.PayloadSerializers;
import studio.lerian.streaming.testing.MockEmitter;
import studio.lerian.streaming.testing.StreamingAssertions;

/**
 * Typed payloads with the serializers this module registers. The build runs this class twice: with Yasson and Jackson
 * on the class path, where JSON-B must be chosen, and without JSON-B, where Jackson must be
 * ({@code streaming.json.expected} names which).
 */
class TypedPayloadTest {

    private static final String EXPECTED = System.getProperty("streaming.json.expected", "jsonb");
    /** Reads what was written, whichever serializer wrote it: Jackson is on the class path in both runs. */
    private static final ObjectMapper READ = new ObjectMapper();

    /** G1's payload, and its spaced variant: JSON the library must never rewrite. */
    private static final String G1_PAYLOAD = "{\"amount\":100}";
    private static final String G1_SPACED = "{ \"amount\" : 100 }";

    /** A bean, as JSON-B and Jackson both map one: no-argument constructor, getters and setters. */
    public static final class Transfer {
        private String accountId;
        private long amount;

        public Transfer() {
        }

        Transfer(String accountId, long amount) {
            this.accountId = accountId;
            this.amount = amount;
        }

        public String getAccountId() {
            return accountId;
        }

        public void setAccountId(String accountId) {
            this.accountId = accountId;
        }

        public long getAmount() {
            return amount;
        }

        public void setAmount(long amount) {
            this.amount = amount;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Transfer t && Objects.equals(accountId, t.accountId) && amount == t.amount;
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, amount);
        }
    }

    public record Money(String currency, long cents) {
    }

    public record Timed(Instant at, OffsetDateTime local, LocalDate day) {
    }

    public record Order(String id, List<Money> lines, Map<String, List<Integer>> tags) {
    }

    /** A bean whose getter fails, with personal data in its message; no serializer can write it. */
    public static final class Unwritable {
        // Serializers call it by reflection: it throws on purpose.
        @SuppressWarnings("DoNotCallSuggester")
        public String getCard() {
            throw new IllegalStateException("card 4111-1111-1111-1111 is locked");
        }
    }

    private static EmitRequest.Builder request() {
        return EmitRequest.builder("transaction.created").tenantId("t-abc");
    }

    private static JsonNode tree(String json) throws IOException {
        return READ.readTree(json);
    }

    private static JsonNode tree(EmitRequest r) throws IOException {
        return READ.readTree(r.payload());
    }

    // ---- which serializer ----

    @Test
    void theExpectedSerializerIsChosen() {
        assertEquals(EXPECTED, PayloadSerializers.require().name());
    }

    @Test
    void eachSerializerReportsWhetherItsLibraryIsPresent() {
        assertEquals(EXPECTED.equals("jsonb"), new JsonbPayloadSerializer().isAvailable(), "JSON-B");
        assertTrue(new JacksonPayloadSerializer().isAvailable(), "Jackson");
    }

    @Test
    void anApplicationsSerializerOfHigherPriorityWinsForItsClassLoaderOnly() throws IOException {
        URL registration = TypedPayloadTest.class.getResource("/custom-serializer/");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader application = new URLClassLoader(new URL[] {registration}, previous)) {
            thread.setContextClassLoader(application);
            EmitRequest r = request().payload(new Transfer("BR-1", 100)).build();
            assertEquals(tree("{\"account_id\":\"BR-1\",\"amount\":100}"), tree(r));
            assertEquals(new Transfer("BR-1", 100), r.payloadAs(Transfer.class));
        } finally {
            thread.setContextClassLoader(previous);
        }
        EmitRequest r = request().payload(new Transfer("BR-1", 100)).build();
        assertEquals(tree("{\"accountId\":\"BR-1\",\"amount\":100}"), tree(r), "this loader's choice is unchanged");
    }

    // ---- round trips ----

    @Test
    void aBeanIsWrittenAsItsPropertiesAndReadBack() throws IOException {
        EmitRequest r = request().payload(new Transfer("BR-0001", 100)).build();
        assertEquals(tree("{\"accountId\":\"BR-0001\",\"amount\":100}"), tree(r));
        assertEquals(new Transfer("BR-0001", 100), r.payloadAs(Transfer.class));
    }

    @Test
    void aRecordIsWrittenAsItsComponentsAndReadBack() throws IOException {
        EmitRequest r = request().payload(new Money("BRL", 12_345)).build();
        assertEquals(tree("{\"currency\":\"BRL\",\"cents\":12345}"), tree(r));
        assertEquals(new Money("BRL", 12_345), r.payloadAs(Money.class));
    }

    @Test
    void javaTimeValuesAreIsoTextAndKeepTheirOffset() throws IOException {
        Timed timed = new Timed(Instant.parse("2026-04-18T10:00:00Z"),
                OffsetDateTime.parse("2026-04-18T12:00:00+02:00"), LocalDate.parse("2026-04-18"));
        EmitRequest r = request().payload(timed).build();
        assertEquals(tree("{\"at\":\"2026-04-18T10:00:00Z\",\"local\":\"2026-04-18T12:00:00+02:00\","
                + "\"day\":\"2026-04-18\"}"), tree(r));
        assertEquals(timed, r.payloadAs(Timed.class));
    }

    @Test
    void nestedCollectionsRoundTrip() throws IOException {
        Order order = new Order("o-1", List.of(new Money("BRL", 1), new Money("USD", 2)),
                Map.of("lots", List.of(3, 4), "none", List.of()));
        EmitRequest r = request().payload(order).build();
        assertEquals(tree("{\"id\":\"o-1\",\"lines\":[{\"currency\":\"BRL\",\"cents\":1},"
                + "{\"currency\":\"USD\",\"cents\":2}],\"tags\":{\"lots\":[3,4],\"none\":[]}}"), tree(r));
        assertEquals(order, r.payloadAs(Order.class));
    }

    @Test
    void aMapAndAListAreJsonTooNotOnlyBeans() throws IOException {
        assertEquals(tree("{\"amount\":100}"), tree(request().payload(Map.of("amount", 100)).build()));
        assertEquals(tree("[1,2,3]"), tree(request().payload(List.of(1, 2, 3)).build()));
    }

    // ---- bytes and text stay as they are ----

    @Test
    void bytesAndTextGivenAsObjectsAreKeptByteForByteWithASerializerPresent() {
        for (String json : new String[] {G1_PAYLOAD, G1_SPACED}) {
            Object text = json;
            Object bytes = json.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), request().payload(text).build().payload(),
                    "a String is JSON text, not re-quoted");
            assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), request().payload(bytes).build().payload());
            EmitRequest r = request().payload(text).build();
            assertEquals(json, r.payloadAs(String.class), "read back as the same text, not decoded");
        }
    }

    // ---- failures ----

    @Test
    void aValueTheSerializerCannotWriteNamesItsClassNotItsContent() {
        StreamingException e = assertThrows(StreamingException.class, () -> request().payload(new Unwritable()));
        assertEquals(ErrorCode.PAYLOAD_NOT_SERIALIZABLE, e.code());
        assertEquals("streaming: payload cannot be serialized as JSON: " + Unwritable.class.getName()
                + " (serializer " + EXPECTED + ")", e.getMessage());
        assertFalse(e.getMessage().contains("4111"));
        assertTrue(StreamingErrors.isCallerError(e));
    }

    @Test
    void aPayloadThatIsNotOfTheTypeIsNotReadableAndTheMessageHoldsNoContent() {
        String json = "{\"accountId\":\"BR-secret\",\"amount\":\"lots\"}";
        EmitRequest r = request().payload(json).build();
        StreamingException e = assertThrows(StreamingException.class, () -> r.payloadAs(Transfer.class));
        assertEquals(ErrorCode.PAYLOAD_NOT_READABLE, e.code());
        assertEquals("streaming: payload cannot be read as the requested type: " + Transfer.class.getName()
                + " (serializer " + EXPECTED + ", " + json.length() + " bytes)", e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
        assertInstanceOf(RuntimeException.class, e.getCause(), "the library's own error is kept as the cause");
    }

    // ---- reading back from a MockEmitter ----

    @Test
    void payloadsOfAMockReadBackAsTheTypeInEmitOrder() {
        MockEmitter mock = new MockEmitter();
        mock.emit(request().payload(new Transfer("BR-1", 1)).build());
        mock.emit(EmitRequest.builder("other.event").tenantId("t-abc").payload(new Money("BRL", 9)).build());
        mock.emit(request().payload(new Transfer("BR-2", 2)).build());

        assertEquals(List.of(new Transfer("BR-1", 1), new Transfer("BR-2", 2)),
                StreamingAssertions.payloadsOf(mock, "transaction.created", Transfer.class));
        assertEquals(new Transfer("BR-2", 2), StreamingAssertions.assertPayloadEmitted(mock, "transaction.created",
                Transfer.class, t -> t.getAmount() > 1));
        AssertionError none = assertThrows(AssertionError.class, () -> StreamingAssertions.assertPayloadEmitted(
                mock, "transaction.created", Transfer.class, t -> t.getAmount() > 2));
        assertEquals("expected an event transaction.created whose " + Transfer.class.getName()
                + " payload matches; none of its 2 matched", none.getMessage());
    }
}
