package studio.lerian.streaming.outbox.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.persistence.EntityManagerFactory;
import studio.lerian.streaming.outbox.jpa.internal.CdiOutboxStore;
import studio.lerian.streaming.outbox.jpa.internal.CdiOutboxWriter;
import studio.lerian.streaming.outbox.jpa.internal.Jta;

/**
 * The CDI portable extension of the JPA outbox, registered through
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}: it registers an {@code @ApplicationScoped}
 * {@link studio.lerian.streaming.spi.OutboxWriter} and {@link studio.lerian.streaming.spi.OutboxStore} (the classes carry
 * no bean-defining annotation, so they are never discovered twice), and fails the deployment with a message naming
 * what is missing when the application does not produce exactly one {@code @StreamingOutbox EntityManagerFactory}.
 */
public class StreamingOutboxExtension implements Extension {

    /** What the deployment error says the application must add. */
    static final String MISSING = "lib-streaming outbox: the application must produce one "
            + "@StreamingOutbox EntityManagerFactory (the persistence unit that holds the lerian_streaming_outbox "
            + "table), e.g. @Produces @StreamingOutbox @PersistenceUnit(unitName = \"app\") EntityManagerFactory emf;";

    void registerBeans(@Observes BeforeBeanDiscovery bbd) {
        bbd.addAnnotatedType(CdiOutboxWriter.class, CdiOutboxWriter.class.getName())
                .add(ApplicationScoped.Literal.INSTANCE);
        bbd.addAnnotatedType(CdiOutboxStore.class, CdiOutboxStore.class.getName())
                .add(ApplicationScoped.Literal.INSTANCE);
    }

    void checkPersistenceUnit(@Observes AfterDeploymentValidation adv, BeanManager beans) {
        Instance<EntityManagerFactory> unit = beans.createInstance()
                .select(EntityManagerFactory.class, StreamingOutbox.Literal.INSTANCE);
        // The relay runs on a thread of its own, where containers may refuse java:comp lookups: find the JTA objects
        // now, on the container's deployment thread.
        Jta.shared().prime();
        if (unit.isUnsatisfied()) {
            adv.addDeploymentProblem(new DeploymentException(MISSING + " None was found."));
        } else if (unit.isAmbiguous()) {
            adv.addDeploymentProblem(new DeploymentException(MISSING + " Several were found."));
        }
    }
}
