package studio.lerian.streaming.outbox.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessBean;
import studio.lerian.streaming.outbox.jpa.admin.OutboxAdmin;
import studio.lerian.streaming.outbox.jpa.internal.CdiOutboxStore;
import studio.lerian.streaming.outbox.jpa.internal.CdiOutboxWriter;
import studio.lerian.streaming.outbox.jpa.internal.Jta;
import studio.lerian.streaming.outbox.jpa.internal.OutboxUnitBeans;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/**
 * The CDI portable extension of the JPA outbox, registered through
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}: it registers an {@code @ApplicationScoped}
 * {@link studio.lerian.streaming.spi.OutboxWriter}, {@link studio.lerian.streaming.spi.OutboxStore} and
 * {@link OutboxAdmin} (synthetic beans: the classes carry no bean-defining annotation, so they are never discovered
 * twice), and fails the deployment with a message naming what is missing when the application does not produce exactly
 * one {@code @StreamingOutbox EntityManagerFactory}.
 */
public class StreamingOutboxExtension implements Extension {

    /** What the deployment error says the application must add. */
    static final String MISSING = "lib-streaming outbox: the application must produce one "
            + "@StreamingOutbox EntityManagerFactory (the persistence unit that holds the lerian_streaming_outbox "
            + "table), e.g. @Produces @StreamingOutbox @PersistenceUnit(unitName = \"app\") EntityManagerFactory emf;";

    /** The application's persistence unit, found here rather than injected: see {@link OutboxUnitBeans}. */
    private final OutboxUnitBeans unit = new OutboxUnitBeans();

    void discover(@Observes ProcessBean<?> event) {
        unit.offer(event.getBean());
    }

    void registerBeans(@Observes AfterBeanDiscovery abd, BeanManager beans) {
        abd.addBean().beanClass(CdiOutboxWriter.class).types(OutboxWriter.class, Object.class)
                .scope(ApplicationScoped.class)
                .createWith(c -> new CdiOutboxWriter(() -> unit.factory(beans), () -> unit.entityManager(beans)));
        abd.addBean().beanClass(CdiOutboxStore.class).types(OutboxStore.class, Object.class)
                .scope(ApplicationScoped.class)
                .createWith(c -> new CdiOutboxStore(() -> unit.factory(beans)));
        abd.addBean().beanClass(OutboxAdmin.class).types(OutboxAdmin.class, Object.class)
                .scope(ApplicationScoped.class)
                .createWith(c -> new OutboxAdmin(unit.factory(beans)));
    }

    void checkPersistenceUnit(@Observes AfterDeploymentValidation adv, BeanManager beans) {
        // The relay runs on a thread of its own, where containers may refuse java:comp lookups: find the JTA objects
        // now, on the container's deployment thread.
        Jta.shared().prime();
        int units = unit.factoryCount(beans);
        if (units == 0) {
            adv.addDeploymentProblem(new DeploymentException(MISSING + " None was found."));
        } else if (units > 1) {
            adv.addDeploymentProblem(new DeploymentException(MISSING + " Several were found."));
        }
    }
}
