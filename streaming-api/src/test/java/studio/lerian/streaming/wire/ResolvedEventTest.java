package studio.lerian.streaming.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.support.Golden;

class ResolvedEventTest {

    private static final OffsetDateTime T = OffsetDateTime.parse("2026-04-18T10:00:00Z");

    static Stream<Arguments> g5() {
        return Golden.rows("g5-partition-keys.csv", 4).stream()
                .map(r -> Arguments.of(r[0], Boolean.parseBoolean(r[1]), r[2], r[3]));
    }

    @ParameterizedTest(name = "tenant \"{0}\", system={1}, type {2} => \"{3}\"")
    @MethodSource("g5")
    void partitionKeyIsTheTenantOrSystemColonEventType(String tenant, boolean system, String eventType, String key) {
        ResolvedEvent event = ResolvedEvent.builder().tenantId(tenant).systemEvent(system).resourceType("platform")
                .eventType(eventType).timestamp(T).build();
        assertEquals(key, event.partitionKey());
    }

    @Test
    void fixtureEventHasTheG1TypeTimeAndTopic() {
        ResolvedEvent event = fixture().build();
        assertEquals("studio.lerian.transaction.created", event.type());
        assertEquals("2026-04-18T10:00:00Z", event.time());
        assertEquals("lerian.streaming.transaction.created", event.topic());
        assertEquals("lerian.streaming.transaction.created.dlq", event.dlqTopic());
        assertEquals("t-abc", event.partitionKey());
    }

    @Test
    void systemEventWithSchemaTwoGoesToTheVersionedTopic() {
        ResolvedEvent event = ResolvedEvent.builder().resourceType("platform").eventType("reaper_pass")
                .schemaVersion("2.1.0").systemEvent(true).timestamp(T).build();
        assertEquals("lerian.streaming.platform.reaper_pass.v2", event.topic());
        assertEquals("system:reaper_pass", event.partitionKey());
    }

    @Test
    void payloadIsCopiedInAndOut() {
        byte[] input = "{\"amount\":100}".getBytes(StandardCharsets.UTF_8);
        ResolvedEvent event = fixture().payload(input).build();
        input[0] = 'X';
        byte[] out = event.payload();
        out[1] = 'Y';
        assertArrayEquals("{\"amount\":100}".getBytes(StandardCharsets.UTF_8), event.payload());
    }

    @Test
    void nullFieldsReadAsEmpty() {
        ResolvedEvent event = ResolvedEvent.builder().timestamp(T).build();
        assertEquals("", event.tenantId());
        assertEquals("", event.subject());
        assertEquals("", event.dataSchema());
        assertEquals(0, event.payloadSize());
    }

    @Test
    void timestampIsRequired() {
        assertThrows(NullPointerException.class, () -> ResolvedEvent.builder().build());
    }

    @Test
    void toBuilderCopiesEveryField() {
        ResolvedEvent event = fixture().build();
        assertEquals(event, event.toBuilder().build());
    }

    private static ResolvedEvent.Builder fixture() {
        return ResolvedEvent.builder().tenantId("t-abc").resourceType("transaction").eventType("created")
                .eventId("0190abcd-ef01-7890-abcd-ef0123456789").schemaVersion("1.0.0").timestamp(T)
                .source("//lerian.midaz/transaction-service").subject("tx-123").dataContentType("application/json")
                .payload("{\"amount\":100}".getBytes(StandardCharsets.UTF_8));
    }
}
