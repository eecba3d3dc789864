package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/** {@code streaming.cloudevents.format=kafka-binary}: the CloudEvents Kafka binding's {@code ce_} headers. */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class KafkaBinaryRecordOnTheWireTest {

    private static final String EVENT_ID = "0190abcd-ef01-7890-abcd-ef0123456791";

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("kafka-binary", Map.of("streaming.cloudevents.format", "kafka-binary"),
                KafkaBinaryRecordOnTheWireTest.class, TckCatalog.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "wire-3", spec = "docs/events-and-records.md (record format kafka-binary)")
    public void kafkaBinaryRecordCarriesTheBindingHeadersAndThePayloadBytes() {
        emitter.emit(EmitRequest.builder(TckCatalog.TRANSACTION_CREATED)
                .tenantId("t-abc")
                .subject("tx-123")
                .eventId(EVENT_ID)
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"))
                .payload("{ \"amount\" : 100 }")
                .build());

        List<TckRecord> records = TckBroker.await(TckCatalog.TRANSACTION_CREATED_TOPIC,
                r -> r.header("ce_id").filter(EVENT_ID::equals).isPresent(), 1, Duration.ofSeconds(20));
        assertEquals(1, records.size(), "records with ce_id " + EVENT_ID);
        TckRecord record = records.get(0);
        assertEquals("t-abc", record.keyString(), "key");
        assertArrayEquals("{ \"amount\" : 100 }".getBytes(StandardCharsets.UTF_8), record.value(),
                "value is the payload, unchanged");
        assertEquals(Optional.of("1.0"), record.header("ce_specversion"), "ce_specversion");
        assertEquals(Optional.of(TckDeployments.SOURCE), record.header("ce_source"), "ce_source");
        assertEquals(Optional.of("studio.lerian.transaction.created"), record.header("ce_type"), "ce_type");
        assertEquals(Optional.of("tx-123"), record.header("ce_subject"), "ce_subject");
        assertEquals(Optional.of("application/json"), record.header("content-type"), "content-type");
        assertTrue(record.header("ce_datacontenttype").isEmpty(), "the binding maps datacontenttype to content-type");
        assertTrue(record.headers().stream().noneMatch(h -> h.startsWith("ce-")), "no lerian ce- headers: "
                + record.headers());
    }
}
