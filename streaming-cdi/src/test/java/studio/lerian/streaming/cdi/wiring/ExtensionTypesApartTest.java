package studio.lerian.streaming.cdi.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.faulttolerance.FaultToleranceExtension;
import io.smallrye.faulttolerance.metrics.MetricsIntegration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.weld.bootstrap.api.CDI11Bootstrap;
import org.jboss.weld.bootstrap.api.ServiceRegistry;
import org.jboss.weld.bootstrap.spi.BeanDeploymentArchive;
import org.jboss.weld.bootstrap.spi.BeansXml;
import org.jboss.weld.bootstrap.spi.CDI11Deployment;
import org.jboss.weld.bootstrap.spi.Deployment;
import org.jboss.weld.bootstrap.spi.Metadata;
import org.jboss.weld.environment.deployment.WeldBeanDeploymentArchive;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jboss.weld.resources.spi.ResourceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.cdi.StreamingExtension;
import studio.lerian.streaming.cdi.internal.KafkaEmitter;
import studio.lerian.streaming.cdi.internal.StreamingRuntime;
import studio.lerian.streaming.cdi.support.Fixture;

/**
 * The library finds the application's catalog on a container that keeps the types added by extensions apart: Payara
 * (and GlassFish) put each type an extension adds from a jar without {@code beans.xml} in a bean archive of its own,
 * which the application's archives see but which sees none of the application's beans. An {@code Instance} injected
 * into such a type finds no application bean; the library must still see every {@code CatalogProvider} and
 * {@code @Produces EventDefinition} of the application.
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

    /** Weld SE with the bean archive layout described on the test class. */
    static final class ExtensionTypesApartWeld extends Weld {

        ExtensionTypesApartWeld() {
            super("extension-types-apart-" + System.nanoTime());
        }

        @Override
        protected Deployment createDeployment(ResourceLoader resourceLoader, CDI11Bootstrap bootstrap) {
            return new ExtensionTypesApart((CDI11Deployment) super.createDeployment(resourceLoader, bootstrap));
        }
    }

    /**
     * The application's bean archives as Weld SE builds them, plus one archive for every other type (those the
     * extensions add, and the extensions themselves): the application's archives see it, it sees only itself.
     */
    static final class ExtensionTypesApart implements CDI11Deployment {

        private final CDI11Deployment application;
        private final WeldBeanDeploymentArchive apart;

        ExtensionTypesApart(CDI11Deployment application) {
            this.application = application;
            this.apart = new WeldBeanDeploymentArchive("extension-types", new HashSet<>(), BeansXml.EMPTY_BEANS_XML);
            apart.getServices().addAll(application.getServices().entrySet());
            for (BeanDeploymentArchive archive : application.getBeanDeploymentArchives()) {
                WeldBeanDeploymentArchive app = (WeldBeanDeploymentArchive) archive;
                Set<WeldBeanDeploymentArchive> visible = new HashSet<>();
                app.getBeanDeploymentArchives().forEach(a -> visible.add((WeldBeanDeploymentArchive) a));
                visible.add(apart);
                app.setAccessibleBeanDeploymentArchives(visible);
            }
        }

        @Override
        public Collection<BeanDeploymentArchive> getBeanDeploymentArchives() {
            return application.getBeanDeploymentArchives();
        }

        @Override
        public BeanDeploymentArchive loadBeanDeploymentArchive(Class<?> beanClass) {
            return getBeanDeploymentArchive(beanClass);
        }

        @Override
        public BeanDeploymentArchive getBeanDeploymentArchive(Class<?> beanClass) {
            BeanDeploymentArchive own = application.getBeanDeploymentArchive(beanClass);
            return own != null ? own : apart;
        }

        @Override
        public ServiceRegistry getServices() {
            return application.getServices();
        }

        @Override
        public Iterable<Metadata<jakarta.enterprise.inject.spi.Extension>> getExtensions() {
            return application.getExtensions();
        }
    }
}
