package studio.lerian.streaming.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.support.Golden;
import studio.lerian.streaming.support.Policies;

class EventPoliciesTest {

    private static final String PREFIX = "streaming: invalid delivery policy: ";

    private static final Catalog CATALOG = Catalog.of(
            EventDefinition.builder("transaction.created").resourceType("transaction").eventType("created").build(),
            EventDefinition.builder("a.b").resourceType("a").eventType("b").build());

    static Stream<Arguments> g9(String outcome) {
        return Golden.rows("g9-event-policies.tsv", 4).stream().filter(r -> r[2].equals(outcome))
                .map(r -> Arguments.of(r[0], r[1], r[3]));
    }

    static Stream<Arguments> g9Parsed() {
        return g9("ok");
    }

    static Stream<Arguments> g9Errors() {
        return g9("error");
    }

    static Stream<Arguments> g9ErrorsWithKey() {
        return g9("error-suffix");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("g9Parsed")
    void validValuesParseToTheOverridesOfEachKey(String name, String value, String expected) {
        Map<String, DeliveryPolicyOverride> parsed = EventPolicies.parse(value);
        Map<String, DeliveryPolicyOverride> want = expectedOverrides(expected);
        assertEquals(want, parsed);
        assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(parsed.keySet()), "sorted by key");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("g9Errors")
    void malformedValuesFailWithTheGoMessage(String name, String value, String detail) {
        StreamingException e = assertThrows(StreamingException.class, () -> EventPolicies.parse(value));
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
        assertEquals(PREFIX + detail, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("g9ErrorsWithKey")
    void unknownModeFailsNamingTheEventKeyAndTheGoDetail(String name, String value, String detail) {
        StreamingException e = assertThrows(StreamingException.class, () -> EventPolicies.parse(value));
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
        assertTrue(e.getMessage().endsWith(detail), e.getMessage());
    }

    @Test
    void uppercaseModeMessageIncludesTheKey() {
        StreamingException e = assertThrows(StreamingException.class,
                () -> EventPolicies.parse("a.b.outbox=ALWAYS"));
        assertEquals(PREFIX + "key \"a.b\": outbox=\"ALWAYS\"", e.getMessage());
    }

    @Test
    void directSkipAloneParsesButFailsWhenResolvedAgainstTheDefaultPolicy() {
        DeliveryPolicyOverride skip = EventPolicies.parse("transaction.created.direct=skip").get("transaction.created");
        DeliveryPolicy definitionDefault = CATALOG.require("transaction.created").defaultPolicy();
        StreamingException e = assertThrows(StreamingException.class,
                () -> DeliveryPolicy.resolve(definitionDefault, skip, null));
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
        assertEquals(PREFIX + "direct=skip requires outbox=always", e.getMessage());
    }

    @Test
    void keysAreCaseSensitiveAndNotCheckedAgainstTheCatalog() {
        Map<String, DeliveryPolicyOverride> parsed = EventPolicies.parse("TRANSACTION.created.enabled=false");
        assertEquals(List.of("TRANSACTION.created"), List.copyOf(parsed.keySet()));
        assertTrue(CATALOG.lookup("TRANSACTION.created").isEmpty());
        StreamingException e = assertThrows(StreamingException.class, () -> CATALOG.require("TRANSACTION.created"));
        assertEquals("streaming: unknown event definition: \"TRANSACTION.created\"", e.getMessage());
    }

    @Test
    void nullValueGivesNoOverrides() {
        assertEquals(Map.of(), EventPolicies.parse(null));
    }

    @Test
    void carriageReturnsAtEntryEdgesAreTrimmed() {
        Map<String, DeliveryPolicyOverride> parsed = EventPolicies.parse("a.b.enabled=true\r\na.b.dlq=never\r\n");
        assertEquals(Map.of("a.b", DeliveryPolicyOverride.builder().enabled(true).dlq(DlqMode.NEVER).build()), parsed);
    }

    @Test
    void entriesForSeveralKeysAreSortedByKey() {
        Map<String, DeliveryPolicyOverride> parsed =
                EventPolicies.parse("transaction.created.enabled=false,a.b.enabled=true");
        assertEquals(List.of("a.b", "transaction.created"), List.copyOf(parsed.keySet()));
    }

    @Test
    void resultIsUnmodifiable() {
        Map<String, DeliveryPolicyOverride> parsed = EventPolicies.parse("a.b.enabled=true");
        assertThrows(UnsupportedOperationException.class, () -> parsed.put("x.y", DeliveryPolicyOverride.none()));
    }

    @Test
    void exactly1024EntriesAreAccepted() {
        String value = String.join(",", Collections.nCopies(EventPolicies.MAX_ENTRIES, "a.b.enabled=true"));
        assertEquals(Map.of("a.b", DeliveryPolicyOverride.builder().enabled(true).build()),
                EventPolicies.parse(value));
    }

    @Test
    void entry1025IsRejectedWithTheCount() {
        String value = String.join(",", Collections.nCopies(1025, "a.b.enabled=true"));
        StreamingException e = assertThrows(StreamingException.class, () -> EventPolicies.parse(value));
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
        assertEquals(PREFIX + "STREAMING_EVENT_POLICIES has 1025 entries (max 1024)", e.getMessage());
    }

    @Test
    void emptyEntriesDoNotCountTowardsTheBound() {
        String value = String.join(",,", Collections.nCopies(1024, "a.b.enabled=true")) + ";;\n";
        assertFalse(EventPolicies.parse(value).isEmpty());
    }

    @Test
    void keyOf256BytesIsAccepted() {
        String key = "é".repeat(128);
        assertEquals(List.of(key), List.copyOf(EventPolicies.parse(key + ".enabled=true").keySet()));
    }

    @Test
    void keyOf257BytesIsRejectedWithItsLength() {
        String key = "é".repeat(128) + "k";
        StreamingException e = assertThrows(StreamingException.class,
                () -> EventPolicies.parse(key + ".enabled=true"));
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
        assertEquals(PREFIX + "STREAMING_EVENT_POLICIES key exceeds 256 bytes: 257", e.getMessage());
    }

    /** Parses {@code key{attr=value,...}} groups separated by a space. */
    private static Map<String, DeliveryPolicyOverride> expectedOverrides(String expected) {
        Map<String, DeliveryPolicyOverride> out = new TreeMap<>();
        if (expected.isEmpty()) {
            return out;
        }
        for (String group : expected.split(" ", -1)) {
            int brace = group.indexOf('{');
            out.put(group.substring(0, brace),
                    Policies.override(group.substring(brace + 1, group.length() - 1), ","));
        }
        return out;
    }
}
