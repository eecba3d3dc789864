package studio.lerian.streaming.cdi.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.faulttolerance.FaultToleranceExtension;
import io.smallrye.faulttolerance.metrics.MetricsIntegration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.cdi.StreamingExtension;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.cdi.internal.StreamingRuntime;
import studio.lerian.streaming.cdi.support.ExtensionTypesApartWeld;
import studio.lerian.streaming.core.support.Fixture;

/**
 * The library finds the application's catalog on a container that keeps the types added by extensions apart, as
 * Payara does ({@link ExtensionTypesApartWeld}): an {@code Instance} injected into such a type finds no application
 * bean, and the library must still see every {@code CatalogProvider} and {@code @Produces EventDefinition}.
 */
class ExtensionTypesApartTest {

    private static final EventDefinition LEDGER_POSTED = EventDefinition.builder("ledger.posted")
            .resourceType("ledger").eventType("posted").build();

    private final Map<String, String> previous = new HashMap<>();
    private WeldContainer container;

    /** Definitions contributed by a producer method. */
    @ApplicationScoped
    public static class LedgerDefinitions {
        @Produces
        EventDefinition ledgerPosted() {
            return LEDGER_POSTED;
        }
    }

    /** An application bean that uses the emitter. */
    @ApplicationScoped
    public static class PaymentService {
        @Inject
        Emitter emitter;

        Emitter emitter() {
            return emitter;
        }
    }

    @AfterEach
    void shutdown() {
        try {
            if (container != null) {
                container.shutdown();
            }
        } finally {
            previous.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    @Test
    void catalogProvidersAndProducedDefinitionsOfTheApplicationAreFound() {
        // No broker is needed: the producer connects on first send, and this test sends nothing.
        Fixture.config("127.0.0.1:9").forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
        container = new ExtensionTypesApartWeld()
                .disableDiscovery()
                .addExtensions(new ConfigExtension(), new FaultToleranceExtension(MetricsIntegration.NOOP),
                        new StreamingExtension())
                .addBeanClasses(Fixture.Definitions.class, LedgerDefinitions.class, PaymentService.class)
                .initialize();

        assertEquals(List.of("ledger.posted", "platform.reaper_pass", "transaction.created"),
                container.select(StreamingRuntime.class).get().catalog().definitions().stream()
                        .map(EventDefinition::key).toList());
        assertInstanceOf(KafkaEmitter.class, container.select(PaymentService.class).get().emitter());
    }
}
