package studio.lerian.streaming.cdi.support;

import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.faulttolerance.FaultToleranceExtension;
import io.smallrye.faulttolerance.metrics.MetricsIntegration;
import java.lang.annotation.Annotation;
import jakarta.enterprise.inject.spi.Extension;
import java.util.HashMap;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.cdi.StreamingExtension;

/**
 * An in-JVM CDI container as an application would have it: Weld SE with SmallRye Config and SmallRye Fault Tolerance,
 * this module's extension, and the given bean classes. Configuration is passed as {@code streaming.*} system
 * properties for the container's lifetime (MicroProfile Config's system-property source), then restored.
 */
public final class StreamingContainer implements AutoCloseable {

    private static final Set<Class<?>> BUILT_IN = Set.of(ConfigExtension.class, FaultToleranceExtension.class,
            StreamingExtension.class);

    private final Map<String, String> previous = new HashMap<>();
    private final WeldContainer container;

    private StreamingContainer(Map<String, String> properties, Class<?>... beans) {
        properties.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
        releaseConfig();
        try {
            Weld weld = new Weld("streaming-test-" + System.nanoTime())
                    .disableDiscovery()
                    // No fault-tolerance metrics: with the OpenTelemetry API on the test class path SmallRye would
                    // otherwise require a Meter bean, which a MicroProfile Telemetry runtime provides and Weld SE not.
                    .addExtensions(new ConfigExtension(), new FaultToleranceExtension(MetricsIntegration.NOOP),
                            new StreamingExtension())
                    .addBeanClasses(beans);
            // Other extensions on the class path join as they would in an application (e.g. the outbox module's).
            for (Extension extension : ServiceLoader.load(Extension.class)) {
                if (!BUILT_IN.contains(extension.getClass())) {
                    weld.addExtension(extension);
                }
            }
            this.container = weld.initialize();
        } catch (RuntimeException e) {
            restore();
            throw e;
        }
    }

    /**
     * Boots a container.
     *
     * @param properties configuration as {@code streaming.*} properties
     * @param beans application bean classes (catalog providers, services)
     * @return the running container
     */
    public static StreamingContainer start(Map<String, String> properties, Class<?>... beans) {
        return new StreamingContainer(properties, beans);
    }

    /** @return the injectable emitter, as {@code @Inject Emitter} gets it */
    public Emitter emitter() {
        return container.select(Emitter.class).get();
    }

    /**
     * @param type a bean type
     * @param <T> the type
     * @return the bean
     */
    public <T> T select(Class<T> type) {
        return container.select(type).get();
    }

    /**
     * @param type a bean type
     * @param qualifiers the bean's qualifiers, e.g. {@code Readiness.Literal.INSTANCE}
     * @param <T> the type
     * @return the bean
     */
    public <T> T select(Class<T> type, Annotation... qualifiers) {
        return container.select(type, qualifiers).get();
    }

    @Override
    public void close() {
        try {
            container.shutdown();
        } finally {
            restore();
        }
    }

    /**
     * MicroProfile Config is cached per class loader, and SmallRye's caches its property names: a fresh one sees this
     * container's properties when the library enumerates them (the Kafka client pass-through does). The resolver is
     * reached reflectively: its class carries OSGi annotations the compiler cannot resolve here, a warning the build
     * treats as an error.
     */
    private static void releaseConfig() {
        try {
            Class<?> resolver = Class.forName("org.eclipse.microprofile.config.spi.ConfigProviderResolver");
            Object instance = resolver.getMethod("instance").invoke(null);
            resolver.getMethod("releaseConfig", org.eclipse.microprofile.config.Config.class)
                    .invoke(instance, ConfigProvider.getConfig());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot release the MicroProfile Config", e);
        }
    }

    private void restore() {
        previous.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }
}
