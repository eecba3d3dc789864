package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import studio.lerian.streaming.wire.Topics;

/**
 * What an application puts in an {@link EventDefinition} and an {@link EmitRequest} (often values from its own
 * callers: tenant ids, subjects, event ids) is validated by the builders: whatever the values, a builder either
 * returns an object that holds them unchanged and within the documented limits, or refuses with one of the codes its
 * Javadoc documents, never anything else. Seeds under {@code RequestValidationFuzzTestInputs} run in every build;
 * {@code -Pfuzz} explores.
 */
class RequestValidationFuzzTest {

    /** What {@link EventDefinition.Builder#build()} documents as the cause of an {@code INVALID_EVENT_DEFINITION}. */
    private static final Set<ErrorCode> DEFINITION_CAUSES = Set.of(ErrorCode.MISSING_RESOURCE_TYPE,
            ErrorCode.MISSING_EVENT_TYPE, ErrorCode.INVALID_RESOURCE_TYPE, ErrorCode.INVALID_EVENT_TYPE,
            ErrorCode.INVALID_SCHEMA_VERSION, ErrorCode.INVALID_DATA_CONTENT_TYPE, ErrorCode.INVALID_DATA_SCHEMA);

    /** What {@link EmitRequest.Builder#build()} documents. */
    private static final Set<ErrorCode> REQUEST_CODES = Set.of(ErrorCode.INVALID_EVENT_DEFINITION,
            ErrorCode.INVALID_TENANT_ID, ErrorCode.INVALID_SUBJECT, ErrorCode.INVALID_EVENT_ID,
            ErrorCode.PAYLOAD_TOO_LARGE);

    @FuzzTest(maxDuration = "60s")
    void onlyDocumentedRefusalsEscape(FuzzedDataProvider data) {
        definition(data);
        request(data);
    }

    private static void definition(FuzzedDataProvider data) {
        String key = text(data, 300);
        String resourceType = text(data, 140);
        String eventType = text(data, 140);
        String schemaVersion = text(data, 80);
        String contentType = text(data, 300);
        String dataSchema = data.consumeBoolean() ? text(data, 60) : "x".repeat(data.consumeInt(2000, 2100));
        EventDefinition built;
        try {
            built = EventDefinition.builder(key).resourceType(resourceType).eventType(eventType)
                    .schemaVersion(schemaVersion).dataContentType(contentType).dataSchema(dataSchema)
                    .systemEvent(data.consumeBoolean()).description(text(data, 40)).build();
        } catch (StreamingException refused) {
            assertEquals(ErrorCode.INVALID_EVENT_DEFINITION, refused.code(), refused::getMessage);
            if (refused.getCause() != null) {
                StreamingException cause = (StreamingException) refused.getCause();
                assertTrue(DEFINITION_CAUSES.contains(cause.code()), () -> "undocumented cause " + cause.code());
            }
            return;
        }
        assertEquals(key, built.key());
        assertEquals(resourceType, built.resourceType());
        assertEquals(eventType, built.eventType());
        assertTrue(bytes(key) <= EventDefinition.MAX_KEY_BYTES, "key over its limit accepted");
        assertTrue(bytes(built.schemaVersion()) <= EventDefinition.MAX_SCHEMA_VERSION_BYTES);
        assertTrue(bytes(built.dataContentType()) <= EventDefinition.MAX_DATA_CONTENT_TYPE_BYTES);
        assertTrue(bytes(built.dataSchema()) <= EventDefinition.MAX_DATA_SCHEMA_BYTES);
        String topic = built.topic();
        assertTrue(topic.startsWith(Topics.PREFIX + resourceType + "." + eventType), topic);
        assertTrue(topic.chars().allMatch(RequestValidationFuzzTest::topicSafe), () -> "unsafe topic " + topic);
    }

    private static void request(FuzzedDataProvider data) {
        String key = text(data, 300);
        String tenant = data.consumeBoolean() ? null : text(data, 300);
        String subject = data.consumeBoolean() ? null : text(data, 40);
        String eventId = data.consumeBoolean() ? null : text(data, 300);
        // Now and then a payload at the limit, or just over it: rarely, since a megabyte per run slows the fuzzer
        // down, and not on 0, which is what the provider returns once the input is used up.
        byte[] payload = data.consumeInt(0, 31) == 31
                ? new byte[EmitRequest.MAX_PAYLOAD_BYTES - 1 + data.consumeInt(0, 2)]
                : data.consumeBytes(200);
        EmitRequest built;
        try {
            built = EmitRequest.builder(key).tenantId(tenant).subject(subject).eventId(eventId).payload(payload)
                    .build();
        } catch (StreamingException refused) {
            assertTrue(REQUEST_CODES.contains(refused.code()), () -> "undocumented " + refused.code());
            return;
        }
        assertEquals(key, built.definitionKey());
        assertEquals(tenant == null ? "" : tenant, built.tenantId());
        assertEquals(subject == null ? "" : subject, built.subject());
        assertEquals(eventId == null ? "" : eventId, built.eventId());
        assertArrayEquals(payload, built.payload());
        assertTrue(bytes(built.tenantId()) <= EmitRequest.MAX_TENANT_ID_BYTES, "tenant over its limit accepted");
        assertTrue(bytes(built.eventId()) <= EmitRequest.MAX_EVENT_ID_BYTES, "event id over its limit accepted");
        assertTrue(built.payloadSize() <= EmitRequest.MAX_PAYLOAD_BYTES, "payload over its limit accepted");
        assertTrue(built.tenantId().chars().noneMatch(c -> c < 0x20 || c == 0x7F), "control character accepted");
    }

    /** Mostly short printable text, sometimes any characters (control characters, surrogates), up to max. */
    private static String text(FuzzedDataProvider data, int max) {
        return data.consumeBoolean() ? data.consumeAsciiString(max) : data.consumeString(max);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean topicSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                || c == '-';
    }
}
