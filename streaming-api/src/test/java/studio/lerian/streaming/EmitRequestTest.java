package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmitRequestTest {

    private static final String KEY = "transaction.created";

    private static EmitRequest.Builder request() {
        return EmitRequest.builder(KEY).tenantId("t-abc");
    }

    private static StreamingException rejected(EmitRequest.Builder builder, ErrorCode expected) {
        StreamingException e = assertThrows(StreamingException.class, builder::build);
        assertEquals(expected, e.code(), e.getMessage());
        return e;
    }

    /** A JSON string value of exactly {@code size} bytes. */
    private static byte[] jsonOfSize(int size) {
        byte[] json = new byte[size];
        Arrays.fill(json, (byte) 'a');
        json[0] = '"';
        json[size - 1] = '"';
        return json;
    }

    // ---- payload size ----

    @Test
    void payloadOfExactlyOneMebibyteIsAccepted() {
        EmitRequest r = request().payload(jsonOfSize(1_048_576)).build();
        assertEquals(1_048_576, r.payloadSize());
        assertEquals(EmitRequest.MAX_PAYLOAD_BYTES, r.payloadSize());
    }

    @Test
    void payloadOneByteOverOneMebibyteIsTooLarge() {
        StreamingException e = rejected(request().payload(jsonOfSize(1_048_577)), ErrorCode.PAYLOAD_TOO_LARGE);
        assertTrue(e.getMessage().startsWith("streaming: payload exceeds max size (1 MiB)"), e.getMessage());
    }

    @Test
    void payloadSizeIsCountedInUtf8BytesForStringPayloads() {
        String json = "\"" + "é".repeat(524_287) + "\""; // 2 + 1,048,574 bytes
        assertEquals(1_048_576, request().payload(json).build().payloadSize());
        rejected(request().payload("\"" + "é".repeat(524_288) + "\""), ErrorCode.PAYLOAD_TOO_LARGE);
    }

    // ---- tenant id ----

    @Test
    void tenantOf256AsciiBytesIsAccepted() {
        assertEquals(256, request().tenantId("t".repeat(256)).build().tenantId().length());
    }

    @Test
    void tenantOf257AsciiBytesIsInvalid() {
        StreamingException e = rejected(request().tenantId("t".repeat(257)), ErrorCode.INVALID_TENANT_ID);
        assertEquals("streaming: Event.TenantID contains control chars or exceeds 256 bytes", e.getMessage());
    }

    @Test
    void tenantOf128TwoByteCharactersIsAccepted() {
        assertDoesNotThrow(() -> request().tenantId("é".repeat(128)).build());
    }

    @Test
    void tenantOf129TwoByteCharactersIsInvalidBecauseLimitsCountBytes() {
        rejected(request().tenantId("é".repeat(129)), ErrorCode.INVALID_TENANT_ID);
    }

    @Test
    void tenantOfFourByteCharactersIsCountedInBytes() {
        assertDoesNotThrow(() -> request().tenantId("😀".repeat(64)).build());
        rejected(request().tenantId("😀".repeat(64) + "t"), ErrorCode.INVALID_TENANT_ID);
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x09, 0x0A, 0x0D, 0x00, 0x1F, 0x7F})
    void tenantWithAControlCharacterIsInvalid(int control) {
        rejected(request().tenantId("t" + (char) control + "abc"), ErrorCode.INVALID_TENANT_ID);
    }

    @Test
    void tenantWithC1CharactersU0080ToU009FIsAccepted() {
        StringBuilder c1 = new StringBuilder();
        for (char c = '\u0080'; c <= '\u009F'; c++) {
            c1.append(c);
        }
        assertEquals(c1.toString(), request().tenantId(c1.toString()).build().tenantId());
    }

    @Test
    void tenantWithAnUnpairedSurrogateIsInvalid() {
        rejected(request().tenantId("t\uD83D"), ErrorCode.INVALID_TENANT_ID);
    }

    // ---- subject and event id ----

    @Test
    void subjectOf1024BytesIsAccepted() {
        assertDoesNotThrow(() -> request().subject("s".repeat(1024)).build());
    }

    @Test
    void subjectOf1025BytesIsInvalid() {
        StreamingException e = rejected(request().subject("s".repeat(1025)), ErrorCode.INVALID_SUBJECT);
        assertEquals("streaming: Event.Subject contains control chars or exceeds 1024 bytes", e.getMessage());
    }

    @Test
    void subjectWithALineFeedIsInvalid() {
        rejected(request().subject("tx\n123"), ErrorCode.INVALID_SUBJECT);
    }

    @Test
    void eventIdOf256BytesIsAccepted() {
        assertDoesNotThrow(() -> request().eventId("e".repeat(256)).build());
    }

    @Test
    void eventIdOf257BytesIsInvalid() {
        StreamingException e = rejected(request().eventId("e".repeat(257)), ErrorCode.INVALID_EVENT_ID);
        assertEquals("streaming: Event.EventID contains control chars or exceeds 256 bytes", e.getMessage());
    }

    // ---- definition key ----

    @Test
    void emptyDefinitionKeyIsAnInvalidEventDefinition() {
        StreamingException e = rejected(EmitRequest.builder(""), ErrorCode.INVALID_EVENT_DEFINITION);
        assertEquals("streaming: invalid event definition: empty definition key", e.getMessage());
    }

    @Test
    void nullDefinitionKeyIsAnInvalidEventDefinition() {
        StreamingException e = rejected(EmitRequest.builder(null), ErrorCode.INVALID_EVENT_DEFINITION);
        assertEquals("streaming: invalid event definition: empty definition key", e.getMessage());
    }

    @Test
    void definitionKeyOver256BytesIsInvalidNotUnknown() {
        rejected(EmitRequest.builder("k".repeat(257)), ErrorCode.INVALID_EVENT_DEFINITION);
        assertDoesNotThrow(() -> EmitRequest.builder("k".repeat(256)).build());
    }

    @Test
    void definitionKeyWithAControlCharacterIsInvalid() {
        rejected(EmitRequest.builder("a\tb"), ErrorCode.INVALID_EVENT_DEFINITION);
    }

    @Test
    void unknownDefinitionKeyIsReportedByTheCatalog() {
        Catalog catalog = Catalog.of(
                EventDefinition.builder(KEY).resourceType("transaction").eventType("created").build());
        EmitRequest r = EmitRequest.builder("nope").tenantId("t-abc").build();
        StreamingException e = assertThrows(StreamingException.class, () -> catalog.require(r.definitionKey()));
        assertEquals(ErrorCode.UNKNOWN_EVENT_DEFINITION, e.code());
        assertEquals("streaming: unknown event definition: \"nope\"", e.getMessage());
    }

    // ---- order of the checks ----

    @Test
    void emptyKeyIsReportedBeforeAnInvalidTenant() {
        rejected(EmitRequest.builder("").tenantId("\t"), ErrorCode.INVALID_EVENT_DEFINITION);
    }

    @Test
    void tenantIsCheckedBeforeSubject() {
        rejected(request().tenantId("\t").subject("\t"), ErrorCode.INVALID_TENANT_ID);
    }

    @Test
    void subjectIsCheckedBeforeEventId() {
        rejected(request().subject("\t").eventId("\t"), ErrorCode.INVALID_SUBJECT);
    }

    @Test
    void eventIdIsCheckedBeforePayloadSize() {
        rejected(request().eventId("\t").payload(jsonOfSize(1_048_577)), ErrorCode.INVALID_EVENT_ID);
    }

    // ---- defaults and immutability ----

    @Test
    void unsetOptionalValuesReadAsEmpty() {
        EmitRequest r = EmitRequest.builder(KEY).build();
        assertEquals(KEY, r.definitionKey());
        assertEquals("", r.tenantId());
        assertEquals("", r.subject());
        assertEquals("", r.eventId());
        assertEquals(Optional.empty(), r.timestamp());
        assertArrayEquals(new byte[0], r.payload());
        assertEquals(0, r.payloadSize());
        assertSame(DeliveryPolicyOverride.none(), r.policyOverride());
    }

    @Test
    void timestampKeepsItsOffset() {
        OffsetDateTime t = OffsetDateTime.parse("2026-04-18T12:00:00+02:00");
        assertEquals(Optional.of(t), request().timestamp(t).build().timestamp());
    }

    @Test
    void payloadIsNeitherValidatedNorRewritten() {
        String spaced = "{ \"amount\" : 100 }";
        assertEquals(spaced, request().payload(spaced).build().payloadAsString());
    }

    @Test
    void mutatingTheInputArrayDoesNotChangeTheRequest() {
        byte[] input = "{\"amount\":100}".getBytes(StandardCharsets.UTF_8);
        EmitRequest.Builder builder = request().payload(input);
        input[10] = '9';
        EmitRequest r = builder.build();
        input[11] = '9';
        assertEquals("{\"amount\":100}", r.payloadAsString());
    }

    @Test
    void mutatingTheReturnedArrayDoesNotChangeTheRequest() {
        EmitRequest r = request().payload("{\"amount\":100}").build();
        byte[] out = r.payload();
        out[10] = '9';
        assertNotSame(out, r.payload());
        assertEquals("{\"amount\":100}", r.payloadAsString());
    }

    @Test
    void payloadBufferIsReadOnly() {
        EmitRequest r = request().payload("{}").build();
        ByteBuffer buffer = r.payloadBuffer();
        assertTrue(buffer.isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> buffer.put(0, (byte) 'x'));
        assertEquals("{}", r.payloadAsString());
    }

    @Test
    void toBuilderReproducesTheRequest() {
        EmitRequest r = request().subject("tx-123").eventId("0190abcd-ef01-7890-abcd-ef0123456789")
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z")).payload("{\"amount\":100}")
                .policyOverride(DeliveryPolicyOverride.builder().enabled(false).build()).build();
        EmitRequest copy = r.toBuilder().build();
        assertEquals(r, copy);
        assertEquals(r.hashCode(), copy.hashCode());
    }

    @Test
    void requestsDifferingOnlyInPayloadAreNotEqual() {
        assertNotEquals(request().payload("{\"a\":1}").build(), request().payload("{\"a\":2}").build());
    }

    @Test
    void toStringShowsThePayloadSizeButNotThePayload() {
        String s = request().payload("{\"secret\":1}").build().toString();
        assertTrue(s.contains("payloadBytes=12"), s);
        assertFalse(s.contains("secret"), s);
    }
}
