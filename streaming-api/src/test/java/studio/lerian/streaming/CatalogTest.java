package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private static EventDefinition def(String key, String resource, String event) {
        return EventDefinition.builder(key).resourceType(resource).eventType(event).build();
    }

    private static EventDefinition def(String key, String resource, String event, String schema) {
        return EventDefinition.builder(key).resourceType(resource).eventType(event).schemaVersion(schema).build();
    }

    private static List<String> keys(Catalog c) {
        return c.definitions().stream().map(EventDefinition::key).toList();
    }

    @Test
    void duplicateKeyIsRejected() {
        StreamingException e = assertThrows(StreamingException.class,
                () -> Catalog.of(def("a.b", "a", "b"), def("a.b", "x", "y")));
        assertEquals(ErrorCode.DUPLICATE_EVENT_DEFINITION, e.code());
        assertEquals("streaming: duplicate event definition: key \"a.b\"", e.getMessage());
    }

    @Test
    void duplicateResourceEventAndSchemaIsRejectedNamingBothKeys() {
        StreamingException e = assertThrows(StreamingException.class,
                () -> Catalog.of(def("first", "x", "y"), def("second", "x", "y")));
        assertEquals(ErrorCode.DUPLICATE_EVENT_DEFINITION, e.code());
        assertTrue(e.getMessage().startsWith("streaming: duplicate event definition: \"first\" and \"second\""),
                e.getMessage());
    }

    @Test
    void emptySchemaVersionCollidesWithTheDefaultOne() {
        StreamingException e = assertThrows(StreamingException.class,
                () -> Catalog.of(def("one", "x", "y", ""), def("two", "x", "y", "1.0.0")));
        assertEquals(ErrorCode.DUPLICATE_EVENT_DEFINITION, e.code());
    }

    @Test
    void dottedResourceAndEventTypesAreComparedFieldByFieldSoThereIsNoFalseDuplicate() {
        Catalog c = Catalog.of(def("first", "a.b", "c"), def("second", "a", "b.c"));
        assertEquals(2, c.size());
    }

    @Test
    void sameResourceAndEventWithDifferentSchemaVersionsAreAllowed() {
        Catalog c = Catalog.of(def("v1", "transaction", "created", "1.0.0"),
                def("v2", "transaction", "created", "2.0.0"), def("v1-1", "transaction", "created", "1.1.0"));
        assertEquals("lerian.streaming.transaction.created", c.require("v1").topic());
        assertEquals("lerian.streaming.transaction.created.v2", c.require("v2").topic());
        assertEquals("lerian.streaming.transaction.created", c.require("v1-1").topic());
    }

    @Test
    void definitionsAreSortedByKey() {
        Catalog c = Catalog.of(def("transaction.created", "transaction", "created"), def("a.b", "a", "b"),
                def("account.updated", "account", "updated"));
        assertEquals(List.of("a.b", "account.updated", "transaction.created"), keys(c));
    }

    @Test
    void definitionsAreSortedInUtf8ByteOrderLikeGo() {
        // U+FF21 encodes as EF BC A1 and U+1F600 as F0 9F 98 80: byte order puts U+FF21 first,
        // although its UTF-16 code unit (FF21) sorts after the surrogate D83D.
        Catalog c = Catalog.of(def("\uD83D\uDE00", "s", "e"), def("\uFF21", "f", "a"), def("a", "a", "a"),
                def("B", "b", "b"), def("_", "u", "u"));
        assertEquals(List.of("B", "_", "a", "\uFF21", "\uD83D\uDE00"), keys(c));
    }

    @Test
    void definitionsListIsUnmodifiable() {
        Catalog c = Catalog.of(def("a.b", "a", "b"));
        assertThrows(UnsupportedOperationException.class, () -> c.definitions().add(def("c.d", "c", "d")));
    }

    @Test
    void lookupFindsByExactKey() {
        EventDefinition ab = def("a.b", "a", "b");
        Catalog c = Catalog.of(ab);
        assertEquals(Optional.of(ab), c.lookup("a.b"));
        assertEquals(Optional.empty(), c.lookup("A.B"));
        assertEquals(Optional.empty(), c.lookup(null));
    }

    @Test
    void requireOfAMissingKeyFailsWithTheGoText() {
        Catalog c = Catalog.of(def("a.b", "a", "b"));
        assertSame(c.lookup("a.b").orElseThrow(), c.require("a.b"));
        StreamingException e = assertThrows(StreamingException.class, () -> c.require("nope"));
        assertEquals(ErrorCode.UNKNOWN_EVENT_DEFINITION, e.code());
        assertEquals("streaming: unknown event definition: \"nope\"", e.getMessage());
        assertTrue(StreamingErrors.isCallerError(e));
    }

    @Test
    void emptyCatalogIsAValidValue() {
        assertTrue(Catalog.empty().isEmpty());
        assertEquals(0, Catalog.empty().size());
        assertTrue(Catalog.of().isEmpty());
        assertTrue(Catalog.of(List.of()).definitions().isEmpty());
        assertThrows(StreamingException.class, () -> Catalog.empty().require("a.b"));
    }

    @Test
    void withAddsDefinitionsAndKeepsTheRules() {
        Catalog c = Catalog.of(def("b.c", "b", "c"));
        Catalog more = c.with(List.of(def("a.b", "a", "b")));
        assertEquals(List.of("a.b", "b.c"), keys(more));
        assertEquals(List.of("b.c"), keys(c));
        StreamingException e = assertThrows(StreamingException.class, () -> more.with(List.of(def("z", "a", "b"))));
        assertEquals(ErrorCode.DUPLICATE_EVENT_DEFINITION, e.code());
    }

    @Test
    void definitionOfTheCatalogKnowsItsTopics() {
        Catalog c = Catalog.of(def("ledger.closed", "ledger", "closed", "10.0.0"));
        EventDefinition d = c.require("ledger.closed");
        assertEquals("lerian.streaming.ledger.closed.v10", d.topic());
        assertEquals("lerian.streaming.ledger.closed.v10.dlq", d.dlqTopic());
    }

    @Test
    void nullDefinitionIsRejected() {
        assertThrows(NullPointerException.class, () -> Catalog.of(def("a.b", "a", "b"), null));
        assertFalse(Catalog.of(def("a.b", "a", "b")).isEmpty());
    }
}
