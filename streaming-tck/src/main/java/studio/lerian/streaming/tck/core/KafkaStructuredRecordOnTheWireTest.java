package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
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

/**
 * The {@code kafka-structured} format: the G1 fixture as one {@code application/cloudevents+json} value (the
 * CloudEvents JSON format), with the same attribute values as the G1 headers, the payload as the {@code data} member,
 * and no CloudEvents headers. Attributes are compared as JSON values, not as bytes: member order and spacing are the
 * serializer's.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class KafkaStructuredRecordOnTheWireTest {

    private static final String EVENT_ID = "0190abcd-ef01-7890-abcd-ef0123456792";

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("kafka-structured", Map.of("streaming.cloudevents.format", "kafka-structured"),
                KafkaStructuredRecordOnTheWireTest.class, TckCatalog.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "wire-4", spec = "docs/events-and-records.md (record format kafka-structured)")
    public void kafkaStructuredRecordCarriesTheG1AttributesInItsJsonValue() {
        emitter.emit(EmitRequest.builder(TckCatalog.TRANSACTION_CREATED)
                .tenantId("t-abc")
                .subject("tx-123")
                .eventId(EVENT_ID)
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"))
                .payload("{\"amount\":100}")
                .build());

        List<TckRecord> records = TckBroker.await(TckCatalog.TRANSACTION_CREATED_TOPIC,
                r -> json(r).map(o -> EVENT_ID.equals(o.getString("id", null))).orElse(false), 1,
                Duration.ofSeconds(20));
        assertEquals(1, records.size(), "records whose JSON id is " + EVENT_ID);
        TckRecord record = records.get(0);
        assertEquals("t-abc", record.keyString(), "key");
        assertTrue(record.header("content-type").orElse("").startsWith("application/cloudevents+json"),
                "content-type: " + record.headers());
        assertTrue(record.headers().stream().noneMatch(h -> h.startsWith("ce-") || h.startsWith("ce_")),
                "no CloudEvents headers in structured mode: " + record.headers());

        JsonObject event = json(record).orElseThrow();
        Map<String, String> g1 = Map.of(
                "specversion", "1.0",
                "id", EVENT_ID,
                "source", TckDeployments.SOURCE,
                "type", "studio.lerian.transaction.created",
                "schemaversion", "1.0.0",
                "resourcetype", "transaction",
                "eventtype", "created",
                "subject", "tx-123",
                "datacontenttype", "application/json",
                "tenantid", "t-abc");
        g1.forEach((name, expected) -> assertEquals(expected, string(event, name), "attribute " + name));
        assertEquals(OffsetDateTime.parse("2026-04-18T10:00:00Z").toInstant(),
                OffsetDateTime.parse(string(event, "time")).toInstant(), "attribute time");
        assertEquals(Json.createObjectBuilder().add("amount", 100).build(), event.get("data"),
                "data is the payload as JSON");
    }

    private static String string(JsonObject event, String name) {
        JsonValue v = event.get(name);
        return v instanceof JsonString s ? s.getString() : String.valueOf(v);
    }

    private static Optional<JsonObject> json(TckRecord r) {
        if (r.value() == null || r.value().length == 0 || r.value()[0] != '{') {
            return Optional.empty();
        }
        try (JsonReader reader = Json.createReader(new StringReader(r.valueString()))) {
            return Optional.of(reader.readObject());
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }
}
