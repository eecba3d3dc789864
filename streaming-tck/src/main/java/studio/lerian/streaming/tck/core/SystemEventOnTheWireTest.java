package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
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

/** Golden vector G1, system event: versioned topic, {@code system:<eventType>} key, nanosecond time, data schema. */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class SystemEventOnTheWireTest {

    private static final String EVENT_ID = "0190abcd-ef01-7890-abcd-ef0123456790";

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("system-event", Map.of("streaming.allow.system.events", "true"),
                SystemEventOnTheWireTest.class, SystemEventCatalog.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "wire-2", spec = "docs/events-and-records.md")
    public void g1SystemEventIsKeyedByEventTypeOnTheVersionedTopic() {
        emitter.emit(EmitRequest.builder(SystemEventCatalog.REAPER_PASS)
                .eventId(EVENT_ID)
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00.123456789Z"))
                .payload("{\"swept\":3}")
                .build());

        List<TckRecord> records = TckBroker.awaitEvent(SystemEventCatalog.REAPER_PASS_TOPIC, EVENT_ID);
        assertEquals(1, records.size(), "records with ce-id " + EVENT_ID);
        TckRecord record = records.get(0);
        assertEquals("system:reaper_pass", record.keyString(), "key");
        assertArrayEquals("{\"swept\":3}".getBytes(StandardCharsets.UTF_8), record.value(), "value bytes");
        assertEquals(List.of(
                "ce-specversion: 1.0",
                "ce-id: " + EVENT_ID,
                "ce-source: " + TckDeployments.SOURCE,
                "ce-type: studio.lerian.platform.reaper_pass",
                "ce-time: 2026-04-18T10:00:00.123456789Z",
                "ce-schemaversion: 2.1.0",
                "ce-resourcetype: platform",
                "ce-eventtype: reaper_pass",
                "ce-datacontenttype: application/json",
                "ce-dataschema: https://schemas.lerian.test/platform/reaper_pass.json",
                "ce-systemevent: true"), record.headersWithoutTraceContext(),
                "headers, in order (a trailing W3C trace context aside)");
    }
}
