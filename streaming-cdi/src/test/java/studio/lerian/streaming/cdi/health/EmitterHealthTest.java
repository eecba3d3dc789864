package studio.lerian.streaming.cdi.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.NoopEmitter;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.cdi.StreamingReadinessCheck;
import studio.lerian.streaming.core.internal.outbox.InMemoryOutboxStore;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/** G14 with a real broker, and the MicroProfile Health readiness check built on it. */
class EmitterHealthTest {

    /**
     * The probe's own timeout is 500 ms: the answer is bounded by it, whatever the broker does. The margin above it is
     * for a busy machine, not a performance figure.
     */
    private static final Duration PROMPT = Duration.ofSeconds(2);

    private static KafkaBroker broker;
    private StreamingContainer app;

    @BeforeAll
    static void start() {
        TestHealthResponses.install();
        broker = new KafkaBroker().start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @AfterEach
    void closeApp() {
        if (app != null) {
            app.close();
        }
        broker.start();
    }

    private HealthCheckResponse readiness() {
        return app.select(StreamingReadinessCheck.class, Readiness.Literal.INSTANCE).call();
    }

    private static <T> T timed(Supplier<T> call) {
        long start = System.nanoTime();
        T result = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(PROMPT) <= 0, "answered in " + took.toMillis() + " ms");
        return result;
    }

    @Test
    void healthFollowsTheBrokerAndIsDownForGoodAfterClose() {
        app = StreamingContainer.start(Fixture.config(broker.bootstrap()), Fixture.Definitions.class);
        Emitter emitter = app.emitter();
        // The first probe of a new client may time out while it fetches metadata; healthy follows within seconds.
        await("healthy with the broker up").atMost(Duration.ofSeconds(20)).until(() -> emitter.health().isHealthy());

        Health up = timed(emitter::health);
        assertEquals(HealthState.HEALTHY, up.state());
        assertTrue(up.cause().isEmpty());
        assertEquals("streaming: health state=healthy", up.message());
        HealthCheckResponse ready = readiness();
        assertEquals(StreamingReadinessCheck.NAME, ready.getName());
        assertEquals(HealthCheckResponse.Status.UP, ready.getStatus());
        assertEquals(Map.of("state", "healthy", "circuit", "closed"), ready.getData().orElseThrow());

        broker.stop();

        Health down = timed(emitter::health);
        assertEquals(HealthState.DOWN, down.state(), "no outbox wired: an unreachable broker is down, not degraded");
        assertTrue(down.cause().isPresent());
        assertTrue(down.message().startsWith("streaming: health state=down: "), down.message());
        HealthCheckResponse notReady = timed(this::readiness);
        assertEquals(HealthCheckResponse.Status.DOWN, notReady.getStatus());
        assertEquals("down", notReady.getData().orElseThrow().get("state"));
        assertTrue(String.valueOf(notReady.getData().orElseThrow().get("cause"))
                .startsWith("streaming: health state=down: "), notReady.getData().toString());

        broker.start();
        await("healthy again once the broker is back").atMost(Duration.ofSeconds(20))
                .until(() -> emitter.health().isHealthy());
        assertEquals(HealthCheckResponse.Status.UP, readiness().getStatus());

        emitter.close();

        Health closed = timed(emitter::health);
        assertEquals(HealthState.DOWN, closed.state());
        assertEquals("streaming: health state=down: streaming: emitter is closed", closed.message());
        HealthCheckResponse afterClose = readiness();
        assertEquals(HealthCheckResponse.Status.DOWN, afterClose.getStatus());
        assertEquals(Map.of("state", "down", "cause", "streaming: health state=down: streaming: emitter is closed",
                "circuit", "closed"), afterClose.getData().orElseThrow());

        StreamingException refused = assertThrows(StreamingException.class, () -> emitter.emit(
                EmitRequest.builder("transaction.created").tenantId("t").payload("{}").build()));
        assertEquals(ErrorCode.EMITTER_CLOSED, refused.code());
        emitter.close();
        assertEquals(HealthState.DOWN, emitter.health().state(), "closing twice changes nothing");
    }

    @Test
    void healthIsAboutTheBrokerNotTheBreaker() {
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put("streaming.cb.min.requests", "1");
        p.put("streaming.cb.timeout.s", "60");
        p.put("streaming.record.delivery.timeout.s", "4");
        p.put("streaming.event.policies", "transaction.created.dlq=never");
        app = StreamingContainer.start(p, Fixture.Definitions.class);
        Emitter emitter = app.emitter();
        EmitRequest request = EmitRequest.builder("transaction.created").tenantId("t").payload("{}").build();
        emitter.emit(request);

        broker.stop();
        assertThrows(EmitException.class, () -> emitter.emit(request));
        assertEquals(ErrorCode.CIRCUIT_OPEN, assertThrows(StreamingException.class, () -> emitter.emit(request)).code());
        broker.start();

        await("healthy while the breaker is still open").atMost(Duration.ofSeconds(20))
                .until(() -> emitter.health().isHealthy());
        assertEquals(HealthCheckResponse.Status.UP, readiness().getStatus());
        assertEquals("open", readiness().getData().orElseThrow().get("circuit"), "the breaker is reported beside");
        assertEquals(ErrorCode.CIRCUIT_OPEN, assertThrows(StreamingException.class, () -> emitter.emit(request)).code(),
                "the breaker stays open for its delay whatever health says");
    }

    /** An outbox without a relay on this instance (the relay runs elsewhere). */
    public static class RelayElsewhere {
        @Produces
        OutboxStore store() {
            return new InMemoryOutboxStore();
        }
    }

    /**
     * An instance that watches the outbox but relays nothing ({@code STREAMING_OUTBOX_RELAY_ENABLED=false}, as on most
     * instances of a large deployment) reports its backlog and no relay figures. Before, the check asked for the
     * relay's last poll whenever a backlog was watched, and threw on every call on such an instance.
     */
    @Test
    void anInstanceWithTheRelayOffReportsItsBacklogAndNoRelay() {
        Map<String, String> config = new java.util.HashMap<>(Fixture.config(broker.bootstrap()));
        config.put("streaming.outbox.relay.enabled", "false");
        app = StreamingContainer.start(config, Fixture.Definitions.class, RelayElsewhere.class);

        HealthCheckResponse ready = readiness();

        assertEquals(HealthCheckResponse.Status.UP, ready.getStatus());
        Map<String, Object> data = ready.getData().orElseThrow();
        assertEquals(0L, ((Number) data.get("outbox_unpublished")).longValue());
        assertFalse(data.containsKey("outbox_last_poll_age_s"), data::toString);
    }

    @Test
    void disabledStreamingIsReadyWithoutAnyBrokerAndSaysItIsDisabled() {
        broker.stop();
        app = StreamingContainer.start(Map.of("streaming.enabled", "false"), Fixture.Definitions.class);
        assertSame(NoopEmitter.instance(), app.emitter());
        HealthCheckResponse ready = readiness();
        assertEquals(HealthCheckResponse.Status.UP, ready.getStatus());
        assertEquals(Map.of("state", "healthy", "enabled", false), ready.getData().orElseThrow());
        assertFalse(app.emitter().health().cause().isPresent());
    }

    @Test
    void aDisabledEmitterInAnApplicationThatDeclaresEventsWarnsNamingTheSwitch() {
        broker.stop();
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jul = Logger.getLogger("studio.lerian.streaming");
        jul.addHandler(capture);
        try {
            app = StreamingContainer.start(Map.of(), Fixture.Definitions.class); // the switch left unset
            assertSame(NoopEmitter.instance(), app.emitter());
            assertTrue(logged.stream().anyMatch(r -> java.util.logging.Level.WARNING.equals(r.getLevel())
                    && r.getMessage().contains("STREAMING_ENABLED") && r.getMessage().contains("discarded")),
                    "a WARN naming STREAMING_ENABLED: " + messages(logged));
            app.close();
            app = null;

            logged.clear();
            app = StreamingContainer.start(Map.of(), NoEvents.class); // nothing declared: nothing to warn about
            assertFalse(logged.stream().anyMatch(r -> java.util.logging.Level.WARNING.equals(r.getLevel())),
                    "no warning without events: " + messages(logged));
        } finally {
            jul.removeHandler(capture);
        }
    }

    /** A bean of an application that declares no events. */
    public static class NoEvents {
    }

    private static List<String> messages(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }
}
