package studio.lerian.streaming.core.internal.telemetry;

import java.lang.System.Logger.Level;
import studio.lerian.streaming.internal.OptionalApis;

/**
 * Chooses the telemetry of an application. The OpenTelemetry API is optional: when its classes are absent, the
 * library runs with {@link Telemetry#NOOP} and never loads {@link OtelTelemetry}, the only class that refers to them.
 */
public final class Telemetries {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    /** The OpenTelemetry API class whose presence turns telemetry on. */
    public static final String OPEN_TELEMETRY_CLASS = "io.opentelemetry.api.OpenTelemetry";

    private Telemetries() {
    }

    /**
     * Finds an instance the container offers, by type: a CDI bean in the CDI module, nothing without a container.
     */
    @FunctionalInterface
    public interface ContainerLookup {

        /** No container: only the global OpenTelemetry instance is used. */
        ContainerLookup NONE = type -> java.util.Optional.empty();

        /**
         * @param type the type wanted
         * @return the container's instance of it, if it has exactly one
         */
        java.util.Optional<Object> find(Class<?> type);
    }

    /**
     * The telemetry provider of an application: OpenTelemetry when its API is present (the container's instance,
     * else the global instance if one was set), else no-op.
     *
     * @param container what the container offers ({@link ContainerLookup#NONE} without one)
     * @return the provider
     */
    public static Telemetry.Provider provider(ContainerLookup container) {
        if (!OptionalApis.present(OPEN_TELEMETRY_CLASS, Telemetries.class.getClassLoader())) {
            LOG.log(Level.INFO, "streaming: OpenTelemetry API not on the class path; metrics and traces are off");
            return Telemetry.Provider.NOOP;
        }
        return OtelTelemetry.provider(container);
    }

}
