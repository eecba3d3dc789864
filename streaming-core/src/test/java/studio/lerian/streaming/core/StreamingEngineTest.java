package studio.lerian.streaming.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.support.FreePorts;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.kafka.StreamingRecordReader;
import studio.lerian.streaming.wire.ResolvedEvent;

/** The engine in plain Java: no CDI, no MicroProfile, built from settings and a catalog, against a real broker. */
class StreamingEngineTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new KafkaBroker().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static EmitRequest event(String tenant, int n) {
        return EmitRequest.builder("transaction.created").tenantId(tenant).payload("{\"n\":" + n + "}").build();
    }

    @Test
    void anEmitOfAPlainJavaEngineIsOnTheTopicKeyedByTenant() {
        try (StreamingEngine engine = StreamingEngine.builder().settings(Fixture.config(broker.bootstrap()))
                .catalog(Catalog.of(List.of(Fixture.TRANSACTION_CREATED))).build()) {
            for (int n = 0; n < 5; n++) {
                engine.emit(event("plain-tenant", n));
            }
            assertTrue(engine.enabled());
            assertEquals("closed", engine.circuitState());
        }

        List<ConsumerRecord<byte[], byte[]>> records = broker.consume("lerian.streaming.transaction.created", 5,
                Duration.ofSeconds(20)).stream().filter(r -> "plain-tenant".equals(key(r))).toList();
        assertEquals(5, records.size());
        StreamingRecordReader reader = new StreamingRecordReader();
        for (int n = 0; n < 5; n++) {
            ConsumerRecord<byte[], byte[]> r = records.get(n);
            ResolvedEvent read = reader.read(r.topic(), r.headers(), r.value());
            assertEquals("{\"n\":" + n + "}", new String(read.payload(), StandardCharsets.UTF_8), "in emit order");
            assertEquals(Fixture.SOURCE, read.source());
            assertEquals("plain-tenant", read.tenantId());
        }
    }

    @Test
    void theCatalogComesFromTheServiceLoaderWhenNoneIsGiven() {
        // Fixture.Definitions is registered as a CatalogProvider service of the test class path.
        try (StreamingEngine engine = StreamingEngine.builder().settings(Fixture.config(broker.bootstrap())).build()) {
            engine.emit(event("service-loaded", 1));
        }
    }

    @Test
    void variableNamesWorkAsSettingsKeysAndABadValueNamesItsKey() {
        Map<String, String> settings = new HashMap<>();
        settings.put("STREAMING_ENABLED", "true");
        settings.put("STREAMING_BROKERS", broker.bootstrap());
        settings.put("STREAMING_CLOUDEVENTS_SOURCE", Fixture.SOURCE);
        settings.put("STREAMING_CB_FAILURE_RATIO", "2");

        StreamingException e = assertThrows(StreamingException.class, () -> StreamingEngine.builder()
                .settings(settings).catalog(Catalog.of(List.of(Fixture.TRANSACTION_CREATED))).build());

        assertEquals(ErrorCode.INVALID_CONFIG_FIELD, e.code());
        assertTrue(e.getMessage().contains("STREAMING_CB_FAILURE_RATIO"), e.getMessage());
        assertTrue(StreamingErrors.isCallerError(e));
    }

    @Test
    void disabledItDiscardsEvents() {
        try (StreamingEngine engine = StreamingEngine.builder().settings(Map.of("streaming.enabled", "false"))
                .build()) {
            engine.emit(event("discarded", 1));
            assertFalse(engine.enabled());
        }
    }

    @Test
    void withoutSettingsItRefusesToBuild() {
        assertThrows(IllegalStateException.class, () -> StreamingEngine.builder().build());
    }

    /**
     * Its own breaker, set by {@code STREAMING_CB_*}: with no broker answering, the window's failures open it, and the
     * next emit fails at once with {@code CIRCUIT_OPEN} without trying the broker.
     */
    @Test
    void theEnginesOwnBreakerOpensOnABrokerThatDoesNotAnswer() {
        Map<String, String> settings = Fixture.config("127.0.0.1:" + FreePorts.pick(1)[0]);
        settings.put("streaming.cb.min.requests", "2");
        settings.put("streaming.cb.failure.ratio", "1");
        settings.put("streaming.record.delivery.timeout.s", "1");
        try (StreamingEngine engine = StreamingEngine.builder().settings(settings)
                .catalog(Catalog.of(List.of(Fixture.TRANSACTION_CREATED))).build()) {
            for (int i = 0; i < 2; i++) {
                StreamingException failed = assertThrows(StreamingException.class, () -> engine.emit(event("t", 0)));
                assertTrue(failed.code() != ErrorCode.CIRCUIT_OPEN, failed::toString);
            }
            StreamingException open = assertThrows(StreamingException.class, () -> engine.emit(event("t", 0)));
            assertEquals(ErrorCode.CIRCUIT_OPEN, open.code());
            assertEquals("open", engine.circuitState());
        }
    }

    @Test
    void aGivenBreakerGuardsEveryPublish() {
        AtomicInteger guarded = new AtomicInteger();
        Breaker counting = call -> {
            guarded.incrementAndGet();
            return call.attempt();
        };
        try (StreamingEngine engine = StreamingEngine.builder().settings(Fixture.config(broker.bootstrap()))
                .catalog(Catalog.of(List.of(Fixture.TRANSACTION_CREATED))).breaker(counting).build()) {
            engine.emit(event("guarded", 1));
            engine.emitAll(List.of(event("guarded", 2), event("guarded", 3)));
        }
        assertEquals(2, guarded.get(), "one call per emit, one per batch");
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }
}
