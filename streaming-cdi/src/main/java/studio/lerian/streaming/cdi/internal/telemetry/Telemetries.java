package studio.lerian.streaming.cdi.internal.telemetry;

import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.System.Logger.Level;

/**
 * Chooses the telemetry of an application. The OpenTelemetry API is optional: when its classes are absent, the
 * library runs with {@link Telemetry#NOOP} and never loads {@link OtelTelemetry}, the only class that refers to them.
 */
public final class Telemetries {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    /** The OpenTelemetry API class whose presence turns telemetry on. */
    static final String OPEN_TELEMETRY_CLASS = "io.opentelemetry.api.OpenTelemetry";

    private Telemetries() {
    }

    /**
     * The telemetry provider of an application: OpenTelemetry when its API is present (its CDI bean, else the global
     * instance if one was set), else no-op.
     *
     * @param beans the application's bean manager; {@code null} outside CDI (then only the global instance is used)
     * @return the provider
     */
    public static Telemetry.Provider provider(BeanManager beans) {
        if (!present(OPEN_TELEMETRY_CLASS, Telemetries.class.getClassLoader())) {
            LOG.log(Level.INFO, "streaming: OpenTelemetry API not on the class path; metrics and traces are off");
            return Telemetry.Provider.NOOP;
        }
        return OtelTelemetry.provider(beans);
    }

    static boolean present(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
