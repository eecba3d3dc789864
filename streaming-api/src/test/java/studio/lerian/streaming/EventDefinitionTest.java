package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventDefinitionTest {

    private static final String INVALID = "streaming: invalid event definition: ";

    private static EventDefinition.Builder valid() {
        return EventDefinition.builder("transaction.created").resourceType("transaction").eventType("created");
    }

    /** Fails the build and returns the exception after checking it is INVALID_EVENT_DEFINITION wrapping {@code code}. */
    private static StreamingException rejected(EventDefinition.Builder builder, ErrorCode code) {
        StreamingException e = assertThrows(StreamingException.class, builder::build);
        assertEquals(ErrorCode.INVALID_EVENT_DEFINITION, e.code(), e.getMessage());
        assertTrue(StreamingErrors.hasCode(e, code), () -> "expected " + code + " in " + e.getMessage());
        return e;
    }

    private static EventDefinition.Builder with(String field, String value) {
        EventDefinition.Builder b = field.equals("key") ? EventDefinition.builder(value)
                .resourceType("transaction").eventType("created") : valid();
        switch (field) {
            case "key" -> { }
            case "resourceType" -> b.resourceType(value);
            case "eventType" -> b.eventType(value);
            case "schemaVersion" -> b.schemaVersion(value);
            case "dataContentType" -> b.dataContentType(value);
            case "dataSchema" -> b.dataSchema(value);
            default -> throw new IllegalArgumentException(field);
        }
        return b;
    }

    // ---- defaults ----

    @Test
    void unsetSchemaVersionAndContentTypeTakeTheDefaults() {
        EventDefinition d = valid().build();
        assertEquals("1.0.0", d.schemaVersion());
        assertEquals("application/json", d.dataContentType());
        assertEquals("", d.dataSchema());
        assertEquals("", d.description());
        assertFalse(d.systemEvent());
        assertEquals(DeliveryPolicy.defaults(), d.defaultPolicy());
    }

    @Test
    void emptySchemaVersionAndContentTypeTakeTheDefaultsToo() {
        EventDefinition d = valid().schemaVersion("").dataContentType("").build();
        assertEquals(EventDefinition.DEFAULT_SCHEMA_VERSION, d.schemaVersion());
        assertEquals(EventDefinition.DEFAULT_DATA_CONTENT_TYPE, d.dataContentType());
    }

    @Test
    void fixtureDefinitionGoesToTheG1Topic() {
        EventDefinition d = valid().build();
        assertEquals("lerian.streaming.transaction.created", d.topic());
        assertEquals("lerian.streaming.transaction.created.dlq", d.dlqTopic());
    }

    @Test
    void systemEventDefinitionOfG2GoesToTheVersionedTopic() {
        EventDefinition d = EventDefinition.builder("platform.reaper_pass").resourceType("platform")
                .eventType("reaper_pass").schemaVersion("2.1.0")
                .dataSchema("https://schemas.lerian.test/platform/reaper_pass.json").systemEvent(true).build();
        assertTrue(d.systemEvent());
        assertEquals("lerian.streaming.platform.reaper_pass.v2", d.topic());
        assertEquals("lerian.streaming.platform.reaper_pass.v2.dlq", d.dlqTopic());
        assertEquals("https://schemas.lerian.test/platform/reaper_pass.json", d.dataSchema());
    }

    @Test
    void nonSemverSchemaVersionIsAcceptedAndGivesNoSuffix() {
        EventDefinition d = valid().schemaVersion("not-a-version").build();
        assertEquals("not-a-version", d.schemaVersion());
        assertEquals("lerian.streaming.transaction.created", d.topic());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"Transaction.Created", "tx_created", "key with spaces", "a", "ação.criada"})
    void keyHasNoFormatRuleBeyondLengthAndControlCharacters(String key) {
        assertEquals(key, EventDefinition.builder(key).resourceType("r").eventType("e").build().key());
    }

    @Test
    void descriptionIsNotValidated() {
        String description = "line one\nline two\t" + "x".repeat(5000);
        assertEquals(description, valid().description(description).build().description());
    }

    // ---- presence and order ----

    @Test
    void missingKeyIsAnInvalidDefinitionWithTheGoText() {
        for (String key : new String[] {"", null}) {
            StreamingException e = assertThrows(StreamingException.class,
                    () -> EventDefinition.builder(key).resourceType("r").eventType("e").build());
            assertEquals(ErrorCode.INVALID_EVENT_DEFINITION, e.code());
            assertEquals(INVALID + "key required", e.getMessage());
            assertNull(e.getCause());
        }
    }

    @Test
    void missingResourceTypeWrapsMissingResourceTypeNamingTheKey() {
        StreamingException e = rejected(valid().resourceType(null), ErrorCode.MISSING_RESOURCE_TYPE);
        assertEquals(INVALID + "\"transaction.created\": streaming: Event.ResourceType required", e.getMessage());
        rejected(valid().resourceType(""), ErrorCode.MISSING_RESOURCE_TYPE);
    }

    @Test
    void missingEventTypeWrapsMissingEventType() {
        StreamingException e = rejected(valid().eventType(""), ErrorCode.MISSING_EVENT_TYPE);
        assertEquals(INVALID + "\"transaction.created\": streaming: Event.EventType required", e.getMessage());
    }

    static Stream<Arguments> checkOrder() {
        String longKey = "k".repeat(257);
        String longType = "t".repeat(129);
        return Stream.of(
                Arguments.of("key before resource type",
                        (Consumer<EventDefinition.Builder>) b -> b.resourceType(null), "", ErrorCode.INVALID_EVENT_DEFINITION),
                Arguments.of("resource type before event type",
                        (Consumer<EventDefinition.Builder>) b -> b.resourceType(null).eventType(null),
                        "k", ErrorCode.MISSING_RESOURCE_TYPE),
                Arguments.of("presence before key length",
                        (Consumer<EventDefinition.Builder>) b -> b.eventType(null), longKey,
                        ErrorCode.MISSING_EVENT_TYPE),
                Arguments.of("key length before resource type length",
                        (Consumer<EventDefinition.Builder>) b -> b.resourceType(longType), longKey,
                        ErrorCode.INVALID_EVENT_DEFINITION),
                Arguments.of("resource type before event type length",
                        (Consumer<EventDefinition.Builder>) b -> b.resourceType(longType).eventType(longType), "k",
                        ErrorCode.INVALID_RESOURCE_TYPE),
                Arguments.of("event type before schema version",
                        (Consumer<EventDefinition.Builder>) b -> b.eventType(longType).schemaVersion("\t"), "k",
                        ErrorCode.INVALID_EVENT_TYPE),
                Arguments.of("schema version before content type",
                        (Consumer<EventDefinition.Builder>) b -> b.schemaVersion("\t").dataContentType("\t"), "k",
                        ErrorCode.INVALID_SCHEMA_VERSION),
                Arguments.of("content type before data schema",
                        (Consumer<EventDefinition.Builder>) b -> b.dataContentType("\t").dataSchema("\t"), "k",
                        ErrorCode.INVALID_DATA_CONTENT_TYPE),
                Arguments.of("lengths before the topic alphabet",
                        (Consumer<EventDefinition.Builder>) b -> b.resourceType("a b").dataSchema("\t"), "k",
                        ErrorCode.INVALID_DATA_SCHEMA),
                Arguments.of("resource type alphabet before event type alphabet",
                        (Consumer<EventDefinition.Builder>) b -> b.resourceType("a b").eventType("c/d"), "k",
                        ErrorCode.INVALID_RESOURCE_TYPE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkOrder")
    void checksRunInTheDocumentedOrder(String name, Consumer<EventDefinition.Builder> breakIt, String key,
            ErrorCode expected) {
        EventDefinition.Builder b = EventDefinition.builder(key).resourceType("r").eventType("e");
        breakIt.accept(b);
        StreamingException e = assertThrows(StreamingException.class, b::build);
        assertEquals(ErrorCode.INVALID_EVENT_DEFINITION, e.code());
        if (expected == ErrorCode.INVALID_EVENT_DEFINITION) {
            assertNull(e.getCause(), "no field code: " + e.getMessage());
        } else {
            assertEquals(expected, ((StreamingException) e.getCause()).code(), e.getMessage());
        }
    }

    // ---- byte limits and control characters ----

    @ParameterizedTest(name = "{0} of {1} bytes is accepted, {1}+1 rejected with {2}")
    @CsvSource(delimiter = '|', value = {
        "key|256|INVALID_EVENT_DEFINITION|é",
        "resourceType|128|INVALID_RESOURCE_TYPE|r",
        "eventType|128|INVALID_EVENT_TYPE|e",
        "schemaVersion|64|INVALID_SCHEMA_VERSION|é",
        "dataContentType|256|INVALID_DATA_CONTENT_TYPE|é",
        "dataSchema|2048|INVALID_DATA_SCHEMA|é",
    })
    void fieldsAreLimitedInUtf8Bytes(String field, int max, ErrorCode code, String unit) {
        int unitBytes = unit.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        String atLimit = unit.repeat(max / unitBytes);
        assertEquals(max, atLimit.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertDoesNotThrow(() -> with(field, atLimit).build());
        StreamingException e = rejected(with(field, atLimit + "x"), code);
        if (code == ErrorCode.INVALID_EVENT_DEFINITION) {
            assertEquals(INVALID + "key contains control chars or exceeds 256 bytes", e.getMessage());
        } else {
            assertEquals(INVALID + "\"transaction.created\": " + code.message(), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0} with a control character => {1}")
    @CsvSource(delimiter = '|', value = {
        "key|INVALID_EVENT_DEFINITION",
        "resourceType|INVALID_RESOURCE_TYPE",
        "eventType|INVALID_EVENT_TYPE",
        "schemaVersion|INVALID_SCHEMA_VERSION",
        "dataContentType|INVALID_DATA_CONTENT_TYPE",
        "dataSchema|INVALID_DATA_SCHEMA",
    })
    void controlCharactersAreRejectedInEveryHeaderField(String field, ErrorCode code) {
        for (String control : new String[] {"\t", "\n", "\r", "\u0000", "\u007F"}) {
            rejected(with(field, "a" + control + "b"), code);
        }
    }

    // ---- topic alphabet (ours) ----

    @ParameterizedTest(name = "resource type \"{0}\"")
    @ValueSource(strings = {"trans action", "a/b", "ação", "a:b", "a*b", "a+b"})
    void resourceTypeOutsideTheTopicAlphabetIsRejected(String resourceType) {
        StreamingException e = rejected(valid().resourceType(resourceType), ErrorCode.INVALID_RESOURCE_TYPE);
        assertTrue(e.getMessage().endsWith("resource type \"" + resourceType + "\" must match [a-zA-Z0-9._-]"),
                e.getMessage());
    }

    @ParameterizedTest(name = "event type \"{0}\"")
    @ValueSource(strings = {"trans action", "a/b", "ação", "a:b"})
    void eventTypeOutsideTheTopicAlphabetIsRejected(String eventType) {
        StreamingException e = rejected(valid().eventType(eventType), ErrorCode.INVALID_EVENT_TYPE);
        assertTrue(e.getMessage().endsWith("event type \"" + eventType + "\" must match [a-zA-Z0-9._-]"),
                e.getMessage());
    }

    @Test
    void everyCharacterOfTheTopicAlphabetIsAccepted() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
        EventDefinition d = valid().resourceType(alphabet).eventType(alphabet).build();
        assertEquals("lerian.streaming." + alphabet + "." + alphabet, d.topic());
    }

    // ---- policy ----

    @Test
    void definitionKeepsItsDefaultPolicy() {
        DeliveryPolicy policy = DeliveryPolicy.builder().outbox(OutboxMode.ALWAYS).dlq(DlqMode.NEVER).build();
        assertEquals(policy, valid().defaultPolicy(policy).build().defaultPolicy());
    }

    @Test
    void invalidDefaultPolicyCannotBeBuiltSoNoDefinitionCanHoldOne() {
        StreamingException e = assertThrows(StreamingException.class,
                () -> valid().defaultPolicy(DeliveryPolicy.builder().enabled(true).direct(DirectMode.SKIP).build()));
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
        assertEquals("streaming: invalid delivery policy: direct=skip requires outbox=always", e.getMessage());
    }
}
