package studio.lerian.streaming.cdi.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.NoopEmitter;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.cdi.internal.StreamingRuntime;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.ServiceLoadedCatalog;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.spi.CatalogProvider;

/**
 * {@code @Inject Emitter} as an application gets it: one emitter for every bean, a NoopEmitter when disabled, the
 * catalog merged from CDI providers, producer methods and ServiceLoader, and a deployment that fails naming the
 * culprit when the configuration or the catalog is wrong.
 */
class CdiWiringTest {

    private static final EventDefinition LEDGER_POSTED = EventDefinition.builder("ledger.posted")
            .resourceType("ledger").eventType("posted").build();

    private static KafkaBroker broker;
    private StreamingContainer app;

    /** An application-scoped service, as most emitters are injected. */
    @ApplicationScoped
    public static class PaymentService {
        @Inject
        Emitter emitter;

        Emitter emitter() {
            return emitter;
        }
    }

    /** A dependent bean, created per injection point. */
    @Dependent
    public static class RequestHandler {
        @Inject
        Emitter emitter;
    }

    /** Definitions contributed by a producer method, without any CatalogProvider. */
    @ApplicationScoped
    public static class LedgerDefinitions {
        @Produces
        EventDefinition ledgerPosted() {
            return LEDGER_POSTED;
        }
    }

    /** A second provider claiming {@code transaction.created} again. */
    @ApplicationScoped
    public static class ClashingDefinitions implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(EventDefinition.builder("transaction.created").resourceType("txn").eventType("made")
                    .build());
        }
    }

    @BeforeAll
    static void startBroker() {
        broker = new KafkaBroker().start();
        for (String topic : List.of(Fixture.TRANSACTION_CREATED.topic(), LEDGER_POSTED.topic(),
                ServiceLoadedCatalog.DEFINITION.topic())) {
            broker.createTopic(topic, 1, Map.of());
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeApp() {
        if (app != null) {
            app.close();
        }
    }

    private static EmitRequest event(String key) {
        return EmitRequest.builder(key).tenantId("t-abc").payload("{\"ok\":true}").build();
    }

    @Test
    void applicationScopedAndDependentBeansShareOneWorkingEmitter() {
        app = StreamingContainer.start(Fixture.config(broker.bootstrap()), Fixture.Definitions.class,
                PaymentService.class, RequestHandler.class);
        Emitter fromService = app.select(PaymentService.class).emitter();
        Emitter fromHandler = app.select(RequestHandler.class).emitter;
        Emitter fromHandlerAgain = app.select(RequestHandler.class).emitter;

        assertInstanceOf(KafkaEmitter.class, fromService);
        assertSame(fromService, fromHandler);
        assertSame(fromService, fromHandlerAgain);
        assertSame(fromService, app.emitter());

        fromService.emit(event("transaction.created"));
        fromHandler.emit(event("transaction.created"));
        assertEquals(2, broker.consume(Fixture.TRANSACTION_CREATED.topic(), 2, Duration.ofSeconds(20)).size());
    }

    @Test
    void disabledStreamingInjectsNoopWithoutBrokerOrValidation() {
        Map<String, String> p = Map.of("streaming.enabled", "false", "streaming.compression", "nope",
                "streaming.brokers", "127.0.0.1:9");
        app = StreamingContainer.start(p, PaymentService.class, RequestHandler.class);
        assertSame(NoopEmitter.instance(), app.select(PaymentService.class).emitter());
        assertSame(NoopEmitter.instance(), app.select(RequestHandler.class).emitter);
        app.emitter().emit(event("anything.at.all"));
        assertTrue(app.select(StreamingRuntime.class).catalog().isEmpty());
    }

    @Test
    void streamingIsOffUnlessEnabled() {
        app = StreamingContainer.start(Map.of("streaming.compression", "nope", "streaming.required.acks", "most"),
                PaymentService.class);
        assertSame(NoopEmitter.instance(), app.select(PaymentService.class).emitter());
    }

    @Test
    void catalogMergesCdiProvidersProducerMethodsAndServiceLoader() {
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put(ServiceLoadedCatalog.SWITCH, "true");
        app = StreamingContainer.start(p, Fixture.Definitions.class, LedgerDefinitions.class);

        Catalog catalog = app.select(StreamingRuntime.class).catalog();
        assertEquals(List.of("ledger.posted", "platform.reaper_pass", "test.serviceloaded", "transaction.created"),
                catalog.definitions().stream().map(EventDefinition::key).toList());

        app.emitter().emit(event("ledger.posted"));
        app.emitter().emit(event("test.serviceloaded"));
        assertEquals(1, broker.consume(LEDGER_POSTED.topic(), 1, Duration.ofSeconds(20)).size());
        assertEquals(1, broker.consume(ServiceLoadedCatalog.DEFINITION.topic(), 1, Duration.ofSeconds(20)).size());
    }

    @Test
    void providerThatIsBothABeanAndServiceLoadedCountsOnce() {
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put(ServiceLoadedCatalog.SWITCH, "true");
        app = StreamingContainer.start(p, ServiceLoadedCatalog.class);
        assertEquals(List.of(ServiceLoadedCatalog.DEFINITION), app.select(StreamingRuntime.class).catalog()
                .definitions());
    }

    private static String failedStartup(Map<String, String> properties, Class<?>... beans) {
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> StreamingContainer.start(properties, beans).close());
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void duplicateKeyAcrossProvidersFailsStartup() {
        String message = failedStartup(Fixture.config(broker.bootstrap()), Fixture.Definitions.class,
                ClashingDefinitions.class);
        assertTrue(message.contains("streaming: duplicate event definition: key \"transaction.created\""), message);
    }

    @Test
    void duplicateKeyBetweenAProviderAndAProducerMethodFailsStartup() {
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put(ServiceLoadedCatalog.SWITCH, "true");
        String message = failedStartup(p, Fixture.Definitions.class, TestServiceLoadedProducer.class);
        assertTrue(message.contains("streaming: duplicate event definition: key \"test.serviceloaded\""), message);
    }

    /** Produces the ServiceLoader provider's definition a second time. */
    @ApplicationScoped
    public static class TestServiceLoadedProducer {
        @Produces
        EventDefinition again() {
            return ServiceLoadedCatalog.DEFINITION;
        }
    }

    @Test
    void anUnresolvableBrokerFailsStartupNamingTheVariable() {
        Map<String, String> p = Fixture.config("no-such-host.invalid:9092");
        String message = failedStartup(p, Fixture.Definitions.class);
        assertTrue(message.contains("STREAMING_BROKERS=\"no-such-host.invalid:9092\""), message);
    }

    /** Every emit of the event would fail INVALID_DELIVERY_POLICY: direct=skip without outbox=always. */
    @Test
    void policyOverrideThatRefusesEveryEmitFailsStartup() {
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put("streaming.event.policies", "transaction.created.direct=skip");
        String message = failedStartup(p, Fixture.Definitions.class);
        assertTrue(message.contains("streaming: invalid delivery policy: STREAMING_EVENT_POLICIES entry"
                + " \"transaction.created.direct=skip\""), message);
        assertTrue(message.contains("direct=skip requires outbox=always"), message);
    }

    @Test
    void emptyCatalogFailsStartup() {
        String message = failedStartup(Fixture.config(broker.bootstrap()), PaymentService.class);
        assertTrue(message.contains("streaming: invalid event definition: catalog is empty"), message);
    }

    @Test
    void policyOverrideForAnUnknownKeyFailsStartupNamingIt() {
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put("streaming.event.policies", "transaction.created.dlq=never;ghost.event.outbox=never");
        String message = failedStartup(p, Fixture.Definitions.class);
        assertTrue(message.contains("streaming: invalid delivery policy: STREAMING_EVENT_POLICIES names"
                + " \"ghost.event\""), message);
    }

    @Test
    void systemEventWithoutOptInFailsStartupNamingTheDefinition() {
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put("streaming.allow.system.events", "false");
        String message = failedStartup(p, Fixture.Definitions.class);
        assertTrue(message.contains("catalog contains system event \"platform.reaper_pass\" but"
                + " STREAMING_ALLOW_SYSTEM_EVENTS is false"), message);
    }

    @Test
    void invalidConfigurationFailsStartupNamingKeyAndValue() {
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put("streaming.compression", "LZ4");
        String message = failedStartup(p, Fixture.Definitions.class);
        assertTrue(message.contains("STREAMING_COMPRESSION=\"LZ4\" (accepted: snappy|lz4|zstd|gzip|none)"), message);
    }
}
