package studio.lerian.streaming.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Discovery;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.ScannedClasses;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import studio.lerian.streaming.cdi.admin.DeadLetterRedrive;
import studio.lerian.streaming.cdi.internal.StreamingRuntime;

/**
 * The CDI 4 build-compatible extension that makes {@code @Inject Emitter} work where portable extensions do not run
 * (Quarkus's ArC). Registered through
 * {@code META-INF/services/jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension}; skipped where
 * {@link StreamingExtension} runs (Weld: Open Liberty, Payara, WildFly, Java SE), so that the two never both register
 * the library's beans.
 *
 * <p>It registers the same beans as the portable extension, {@code @ApplicationScoped}: the breaker, the runtime that
 * produces the emitter, the re-drive, and (with MicroProfile Health) the readiness check. The runtime then starts
 * when the application does ({@code Startup}), finding the application's catalog providers, event definitions and
 * outbox by injection, so that a bad configuration or catalog fails the start with a message naming the key or
 * definition.
 */
@SkipIfPortableExtensionPresent(StreamingExtension.class)
public class StreamingBuildExtension implements BuildCompatibleExtension {

    /** @param scanned the classes the container discovers; the library's jar is not scanned itself */
    @Discovery
    public void addLibraryBeans(ScannedClasses scanned) {
        scanned.add(StreamingBreaker.class.getName());
        scanned.add(StreamingRuntime.class.getName());
        scanned.add(DeadLetterRedrive.class.getName());
        if (StreamingExtension.healthApiPresent()) {
            scanned.add(StreamingReadinessCheck.class.getName());
        }
    }

    /**
     * The library's classes carry no bean-defining annotation (so that no container discovers them twice); the scope
     * is given here, as the portable extension gives it.
     *
     * @param type one of the library's bean classes
     */
    @Enhancement(types = {StreamingBreaker.class, StreamingRuntime.class, DeadLetterRedrive.class})
    public void applicationScoped(ClassConfig type) {
        type.addAnnotation(ApplicationScoped.class);
    }

    /**
     * The readiness check, as {@link #applicationScoped}, apart because it exists only with MicroProfile Health: its
     * class is named here, never loaded, and the container discovers it only when the API is present.
     *
     * @param type the readiness check's class
     */
    @Enhancement(types = StreamingReadinessCheck.class)
    public void readinessScoped(ClassConfig type) {
        type.addAnnotation(ApplicationScoped.class);
    }
}
