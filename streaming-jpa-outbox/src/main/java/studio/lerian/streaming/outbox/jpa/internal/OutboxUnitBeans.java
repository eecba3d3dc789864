package studio.lerian.streaming.outbox.jpa.internal;

import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.LinkedHashSet;
import java.util.Set;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/**
 * The application's {@code @StreamingOutbox} beans (the persistence unit's factory, and optionally the current entity
 * manager), as the container announced them to the extension while discovering the deployment.
 *
 * <p>Why not {@code @Inject @StreamingOutbox Instance<EntityManagerFactory>}: the outbox beans are added by the
 * extension, and Payara puts each type an extension adds from a jar without {@code beans.xml} into a bean archive of
 * its own that sees no application bean, where such an {@code Instance} is unsatisfied. {@code ProcessBean} reaches the
 * extension for every bean of the deployment, and {@link BeanManager#getReference} of a given bean applies no
 * visibility rule.
 */
public final class OutboxUnitBeans {

    private final Set<Bean<?>> factories = new LinkedHashSet<>();
    private final Set<Bean<?>> entityManagers = new LinkedHashSet<>();

    /**
     * Records a bean of the deployment when it is a {@code @StreamingOutbox} factory or entity manager.
     *
     * @param bean a bean the container discovered
     */
    public synchronized void offer(Bean<?> bean) {
        if (!bean.getQualifiers().contains(StreamingOutbox.Literal.INSTANCE)) {
            return;
        }
        if (bean.getTypes().contains(EntityManagerFactory.class)) {
            factories.add(bean);
        }
        if (bean.getTypes().contains(EntityManager.class)) {
            entityManagers.add(bean);
        }
    }

    /**
     * @param beans the bean manager that applies alternatives
     * @return how many factories remain once alternatives are applied: 0, 1, or 2 for "more than one"
     */
    public synchronized int factoryCount(BeanManager beans) {
        if (factories.isEmpty()) {
            return 0;
        }
        try {
            return beans.resolve(Set.copyOf(factories)) == null ? 0 : 1;
        } catch (AmbiguousResolutionException e) {
            return 2;
        }
    }

    /**
     * @param beans the bean manager that creates the reference
     * @return the factory
     * @throws IllegalStateException if there is not exactly one
     */
    public synchronized EntityManagerFactory factory(BeanManager beans) {
        EntityManagerFactory factory = unique(factories, EntityManagerFactory.class, beans);
        if (factory == null) {
            throw new IllegalStateException("no single @StreamingOutbox EntityManagerFactory in the deployment");
        }
        return factory;
    }

    /**
     * @param beans the bean manager that creates the reference
     * @return the application's current {@code @StreamingOutbox} entity manager, or null when it produces none
     */
    public synchronized EntityManager entityManager(BeanManager beans) {
        return unique(entityManagers, EntityManager.class, beans);
    }

    private static <T> T unique(Set<Bean<?>> found, Class<T> type, BeanManager beans) {
        if (found.isEmpty()) {
            return null;
        }
        Bean<?> chosen;
        try {
            chosen = beans.resolve(Set.copyOf(found));
        } catch (AmbiguousResolutionException e) {
            return null;
        }
        return chosen == null ? null
                : type.cast(beans.getReference(chosen, type, beans.createCreationalContext(chosen)));
    }
}
