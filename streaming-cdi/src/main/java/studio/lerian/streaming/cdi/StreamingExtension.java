package studio.lerian.streaming.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessBean;
import studio.lerian.streaming.cdi.admin.DeadLetterRedrive;
import studio.lerian.streaming.cdi.internal.ApplicationBeans;
import studio.lerian.streaming.cdi.internal.StreamingRuntime;
import studio.lerian.streaming.internal.OptionalApis;

/**
 * The CDI portable extension that makes {@code @Inject Emitter} (and {@code @Inject DeadLetterRedrive}) work. Registered through
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}, so an application only adds the jar.
 *
 * <p>It registers this module's beans itself (they carry no bean-defining annotation, so they are never discovered
 * twice, whatever the archive's discovery mode), builds the emitter when deployment validation ends, so that a bad
 * configuration or catalog fails the deployment with a message naming the key or definition, and closes the emitter
 * before the application scope ends.
 */
public class StreamingExtension implements Extension {

    /** The MicroProfile Health API's class; the readiness check is registered only when it is present. */
    static final String HEALTH_CHECK_CLASS = "org.eclipse.microprofile.health.HealthCheck";

    void registerBeans(@Observes BeforeBeanDiscovery bbd) {
        bbd.addAnnotatedType(StreamingBreaker.class, StreamingBreaker.class.getName())
                .add(ApplicationScoped.Literal.INSTANCE);
        bbd.addAnnotatedType(StreamingRuntime.class, StreamingRuntime.class.getName())
                .add(ApplicationScoped.Literal.INSTANCE);
        bbd.addAnnotatedType(DeadLetterRedrive.class, DeadLetterRedrive.class.getName())
                .add(ApplicationScoped.Literal.INSTANCE);
        if (healthApiPresent()) {
            bbd.addAnnotatedType(StreamingReadinessCheck.class, StreamingReadinessCheck.class.getName())
                    .add(ApplicationScoped.Literal.INSTANCE);
        }
    }

    /** What the application gives the library, found here rather than injected: see {@link ApplicationBeans}. */
    private final ApplicationBeans applicationBeans = new ApplicationBeans();

    void discover(@Observes ProcessBean<?> event) {
        applicationBeans.offer(event.getBean());
    }

    void start(@Observes AfterDeploymentValidation adv, BeanManager beans) {
        try {
            beans.createInstance().select(StreamingRuntime.class).get().start(applicationBeans.resolvedBy(beans));
        } catch (RuntimeException e) {
            adv.addDeploymentProblem(new DeploymentException("lib-streaming cannot start: " + e.getMessage(), e));
        }
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event, BeanManager beans) {
        beans.createInstance().select(StreamingRuntime.class).get().shutdown();
    }

    static boolean healthApiPresent() {
        return OptionalApis.present(HEALTH_CHECK_CLASS, StreamingExtension.class.getClassLoader());
    }
}
