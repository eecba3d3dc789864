package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;
import studio.lerian.streaming.tck.support.TckRecord;

/** Golden vector G1: the default ({@code lerian}) record on the wire, read back from the broker. */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class LerianRecordOnTheWireTest {

    private static final String EVENT_ID = "0190abcd-ef01-7890-abcd-ef0123456789";

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("lerian-record", LerianRecordOnTheWireTest.class, TckCatalog.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "wire-1", spec = "docs/events-and-records.md")
    public void g1RecordHasTheTopicKeyHeadersInOrderAndThePayloadBytes() {
        emitter.emit(EmitRequest.builder(TckCatalog.TRANSACTION_CREATED)
                .tenantId("t-abc")
                .subject("tx-123")
                .eventId(EVENT_ID)
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"))
                .payload("{\"amount\":100}")
                .build());

        List<TckRecord> records = TckBroker.awaitEvent(TckCatalog.TRANSACTION_CREATED_TOPIC, EVENT_ID);
        assertEquals(1, records.size(), "records with ce-id " + EVENT_ID);
        TckRecord record = records.get(0);
        assertEquals(TckCatalog.TRANSACTION_CREATED_TOPIC, record.topic(), "topic");
        assertEquals("t-abc", record.keyString(), "key");
        assertArrayEquals("{\"amount\":100}".getBytes(StandardCharsets.UTF_8), record.value(), "value bytes");
        assertEquals(List.of(
                "ce-specversion: 1.0",
                "ce-id: " + EVENT_ID,
                "ce-source: " + TckDeployments.SOURCE,
                "ce-type: studio.lerian.transaction.created",
                "ce-time: 2026-04-18T10:00:00Z",
                "ce-schemaversion: 1.0.0",
                "ce-resourcetype: transaction",
                "ce-eventtype: created",
                "ce-subject: tx-123",
                "ce-datacontenttype: application/json",
                "ce-tenantid: t-abc"), record.headersWithoutTraceContext(),
                "headers, in order (a trailing W3C trace context aside)");
    }
}
