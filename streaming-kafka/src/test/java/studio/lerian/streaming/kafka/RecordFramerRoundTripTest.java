package studio.lerian.streaming.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.wire.ResolvedEvent;

/** {@link RecordFramer} then {@link StreamingRecordReader}: every format gives back the framed event. */
class RecordFramerRoundTripTest {

    /** G1's event. */
    static final ResolvedEvent FIXTURE = ResolvedEvent.builder()
            .tenantId("t-abc").resourceType("transaction").eventType("created")
            .eventId("0190abcd-ef01-7890-abcd-ef0123456789").schemaVersion("1.0.0")
            .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z")).source("//lerian.midaz/transaction-service")
            .subject("tx-123").dataContentType("application/json").payload(utf8("{\"amount\":100}")).build();

    /** G2's event, with a tenant (the 12-header variant). */
    static final ResolvedEvent SYSTEM = ResolvedEvent.builder()
            .tenantId("acme").resourceType("platform").eventType("reaper_pass")
            .eventId("0190abcd-ef01-7890-abcd-ef0123456790").schemaVersion("2.1.0")
            .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00.123456789Z"))
            .source("//lerian.midaz/transaction-service").dataContentType("application/json")
            .dataSchema("https://schemas.lerian.test/platform/reaper_pass.json").systemEvent(true)
            .payload(utf8("{\"swept\":3}")).build();

    /** A caller-supplied offset is kept (Appendix A.13); an opaque content type travels as bytes. */
    static final ResolvedEvent OFFSET_AND_BYTES = FIXTURE.toBuilder()
            .timestamp(OffsetDateTime.parse("2026-04-18T12:00:00.5+02:00")).subject("")
            .dataContentType("application/octet-stream").payload(new byte[] {0, 1, (byte) 0xFF, '\n'}).build();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (RecordFormat f : RecordFormat.values()) {
            for (ResolvedEvent e : List.of(FIXTURE, SYSTEM, OFFSET_AND_BYTES)) {
                out.add(Arguments.of(f, e));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyFormatReadsBackToTheFramedEvent(RecordFormat format, ResolvedEvent event) {
        ProducerRecord<byte[], byte[]> record = new RecordFramer(format).frame(event);
        StreamingRecordReader reader = new StreamingRecordReader();

        assertEquals(event.topic(), record.topic());
        assertArrayEquals(utf8(event.partitionKey()), record.key());
        assertNull(record.partition());
        assertEquals(format, reader.detect(record.headers()));
        assertEquals(event, reader.read(record.topic(), record.headers(), record.value()));
    }

    @Test
    void lerianFormatIsG1HeaderForHeaderWithThePayloadAsValue() {
        ProducerRecord<byte[], byte[]> record = new RecordFramer(RecordFormat.LERIAN).frame(FIXTURE);
        assertEquals("lerian.streaming.transaction.created", record.topic());
        assertArrayEquals(utf8("{\"amount\":100}"), record.value());
        assertEquals(List.of(
                "ce-specversion: 1.0",
                "ce-id: 0190abcd-ef01-7890-abcd-ef0123456789",
                "ce-source: //lerian.midaz/transaction-service",
                "ce-type: studio.lerian.transaction.created",
                "ce-time: 2026-04-18T10:00:00Z",
                "ce-schemaversion: 1.0.0",
                "ce-resourcetype: transaction",
                "ce-eventtype: created",
                "ce-subject: tx-123",
                "ce-datacontenttype: application/json",
                "ce-tenantid: t-abc"), lines(record));
    }

    @Test
    void systemEventWithTenantHasTwelveHeadersTenantBeforeSystemFlag() {
        ProducerRecord<byte[], byte[]> record = new RecordFramer(RecordFormat.LERIAN).frame(SYSTEM);
        assertEquals("lerian.streaming.platform.reaper_pass.v2", record.topic());
        assertArrayEquals(utf8("system:reaper_pass"), record.key());
        List<String> lines = lines(record);
        assertEquals(12, lines.size(), lines.toString());
        assertEquals(List.of(
                "ce-datacontenttype: application/json",
                "ce-dataschema: https://schemas.lerian.test/platform/reaper_pass.json",
                "ce-tenantid: acme",
                "ce-systemevent: true"), lines.subList(8, 12));
    }

    @Test
    void framingForAnotherTopicKeepsKeyHeadersAndValue() {
        RecordFramer framer = new RecordFramer(RecordFormat.LERIAN);
        ProducerRecord<byte[], byte[]> own = framer.frame(FIXTURE);
        ProducerRecord<byte[], byte[]> other = framer.frame(FIXTURE, "relay.topic");
        assertEquals("relay.topic", other.topic());
        assertArrayEquals(own.key(), other.key());
        assertArrayEquals(own.value(), other.value());
        assertEquals(lines(own), lines(other));
    }

    /** Sharing the definition's constant headers changes no byte of any record, in the Go library's order. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sharedHeadersFrameTheSameRecords(RecordFormat format, ResolvedEvent event) {
        RecordFramer sharing = new RecordFramer(format, true);
        ProducerRecord<byte[], byte[]> fresh = new RecordFramer(format).frame(event);
        for (int i = 0; i < 2; i++) { // the first frame fills the shared headers, the second uses them
            ProducerRecord<byte[], byte[]> record = sharing.frame(event);
            assertEquals(lines(fresh), lines(record));
            assertArrayEquals(fresh.key(), record.key());
            assertArrayEquals(fresh.value(), record.value());
        }
    }

    @Test
    void onlyTheDefinitionsConstantHeadersAreShared() {
        RecordFramer framer = new RecordFramer(RecordFormat.LERIAN, true);
        ProducerRecord<byte[], byte[]> first = framer.frame(SYSTEM);
        ProducerRecord<byte[], byte[]> second = framer.frame(SYSTEM.toBuilder()
                .eventId("0190abcd-ef01-7890-abcd-ef0123456791").tenantId("other").build());
        List<String> shared = new ArrayList<>();
        Header[] a = first.headers().toArray();
        Header[] b = second.headers().toArray();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                shared.add(a[i].key());
            }
        }
        assertEquals(List.of("ce-specversion", "ce-source", "ce-type", "ce-schemaversion", "ce-resourcetype",
                "ce-eventtype", "ce-datacontenttype", "ce-dataschema", "ce-systemevent"), shared);
        assertNotSame(first.headers().lastHeader("ce-id"), second.headers().lastHeader("ce-id"));
    }

    @Test
    void withoutSharingEveryRecordHasHeadersOfItsOwn() {
        RecordFramer framer = new RecordFramer(RecordFormat.LERIAN, false);
        Header[] a = framer.frame(SYSTEM).headers().toArray();
        Header[] b = framer.frame(SYSTEM).headers().toArray();
        for (int i = 0; i < a.length; i++) {
            assertNotSame(a[i], b[i], a[i].key());
            assertNotSame(a[i].value(), b[i].value(), a[i].key());
        }
    }

    @Test
    void theSharedValuesPerHeaderAreBounded() {
        RecordFramer framer = new RecordFramer(RecordFormat.LERIAN, true);
        List<Header> types = new ArrayList<>();
        for (int i = 0; i <= RecordFramer.MAX_SHARED_VALUES + 1; i++) {
            ResolvedEvent e = FIXTURE.toBuilder().eventType("created" + i).build();
            framer.frame(e);
            types.add(framer.frame(e).headers().lastHeader("ce-type"));
        }
        ResolvedEvent last = FIXTURE.toBuilder().eventType("created" + (RecordFramer.MAX_SHARED_VALUES + 1)).build();
        assertSame(types.get(0), framer.frame(FIXTURE.toBuilder().eventType("created0").build()).headers()
                .lastHeader("ce-type"), "kept while within the bound");
        assertNotSame(types.get(types.size() - 1), framer.frame(last).headers().lastHeader("ce-type"),
                "framed anew past the bound");
    }

    private static List<String> lines(ProducerRecord<byte[], byte[]> record) {
        List<String> out = new ArrayList<>();
        for (Header h : record.headers()) {
            out.add(h.key() + ": " + new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
