package studio.lerian.streaming.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.wire.ResolvedEvent;

/** Spec section 4.3: the Go library's rules for reading a {@code lerian} record's headers. */
class LerianRecordParserTest {

    private final StreamingRecordReader reader = new StreamingRecordReader();

    @Test
    void minimalRecordHasOnlyTheRequiredHeadersAndZeroValuesForTheRest() {
        ResolvedEvent e = read(required(), "{}");
        assertEquals("id-1", e.eventId());
        assertEquals("//src", e.source());
        assertEquals(OffsetDateTime.parse("2026-04-18T10:00:00Z"), e.timestamp());
        assertEquals("", e.tenantId());
        assertEquals("", e.subject());
        assertEquals("", e.schemaVersion());
        assertEquals("", e.dataContentType());
        assertFalse(e.systemEvent());
        assertArrayEquals(utf8("{}"), e.payload());
    }

    @Test
    void duplicateHeaderLastOccurrenceWins() {
        Headers h = required().add("ce-id", utf8("id-2")).add("ce-tenantid", utf8("first"))
                .add("ce-tenantid", utf8("last"));
        ResolvedEvent e = read(h, "{}");
        assertEquals("id-2", e.eventId());
        assertEquals("last", e.tenantId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce-id", "ce-source", "ce-type", "ce-time"})
    void missingRequiredHeaderIsNamed(String name) {
        Headers h = required();
        h.remove(name);
        StreamingException e = assertThrows(StreamingException.class, () -> read(h, "{}"));
        assertEquals(ErrorCode.MISSING_REQUIRED_HEADER, e.code());
        assertEquals("streaming: missing required CloudEvents header: " + name, e.getMessage());
        assertFalse(StreamingErrors.isCallerError(e));
    }

    @Test
    void missingSpecVersionIsAMissingRequiredHeader() {
        Headers h = required();
        h.remove("ce-specversion");
        StreamingException e = assertThrows(StreamingException.class, () -> read(h, "{}"));
        assertEquals(ErrorCode.MISSING_REQUIRED_HEADER, e.code());
        assertTrue(e.getMessage().endsWith("ce-specversion"), e.getMessage());
    }

    @Test
    void presenceNotNonEmptinessIsChecked() {
        Headers h = required();
        h.remove("ce-id");
        h.add("ce-id", new byte[0]);
        assertEquals("", read(h, "{}").eventId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.3", "1", "1.0.0", "", " 1.0"})
    void specVersionOtherThanOnePointZeroIsUnsupported(String version) {
        Headers h = required();
        h.remove("ce-specversion");
        h.add("ce-specversion", utf8(version));
        StreamingException e = assertThrows(StreamingException.class, () -> read(h, "{}"));
        assertEquals(ErrorCode.UNSUPPORTED_SPEC_VERSION, e.code());
        assertEquals("streaming: unsupported CloudEvents specversion: \"" + version + "\" (want \"1.0\")",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "", "2026-04-18", "2026-04-18 10:00:00Z", "2026-04-18T10:00:00",
        "2026-04-18T25:00:00Z", "2026-04-18T10:00Z", "2026-04-18T10:00:00.1234567890Z"})
    void timeThatIsNotRfc3339IsAnInvalidHeader(String time) {
        Headers h = required();
        h.remove("ce-time");
        h.add("ce-time", utf8(time));
        StreamingException e = assertThrows(StreamingException.class, () -> read(h, "{}"));
        assertEquals(ErrorCode.INVALID_HEADER, e.code());
        assertTrue(e.getMessage().contains("invalid ce-time \"" + time + "\""), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-04-18T10:00:00Z", "2026-04-18T10:00:00.123456789Z", "2026-04-18T12:00:00+02:00",
        "2026-04-18T10:00:00.5-03:30"})
    void rfc3339TimesAreReadWithTheirOffset(String time) {
        Headers h = required();
        h.remove("ce-time");
        h.add("ce-time", utf8(time));
        assertEquals(OffsetDateTime.parse(time), read(h, "{}").timestamp());
    }

    @Test
    void systemEventOnlyForTheLiteralTrue() {
        assertTrue(read(required().add("ce-systemevent", utf8("true")), "{}").systemEvent());
        for (String notTrue : new String[] {"TRUE", "True", "1", "t", "yes", " true", ""}) {
            assertFalse(read(required().add("ce-systemevent", utf8(notTrue)), "{}").systemEvent(), notTrue);
        }
    }

    @Test
    void nullValueIsAnEmptyPayload() {
        assertEquals(0, reader.read("t", required(), null).payloadSize());
    }

    @Test
    void recordWithoutAnyCloudEventsMarkerIsRefused() {
        StreamingException e = assertThrows(StreamingException.class,
                () -> reader.read("t", new RecordHeaders().add("content-type", utf8("application/json")), utf8("{}")));
        assertEquals(ErrorCode.MISSING_REQUIRED_HEADER, e.code());
    }

    private ResolvedEvent read(Headers headers, String value) {
        return reader.read("t", headers, utf8(value));
    }

    private static Headers required() {
        return new RecordHeaders()
                .add("ce-specversion", utf8("1.0"))
                .add("ce-id", utf8("id-1"))
                .add("ce-source", utf8("//src"))
                .add("ce-type", utf8("studio.lerian.a.b"))
                .add("ce-time", utf8("2026-04-18T10:00:00Z"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
