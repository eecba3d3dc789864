package studio.lerian.streaming.outbox.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.Discovery;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.MetaAnnotations;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.time.Clock;
import studio.lerian.streaming.outbox.jpa.admin.OutboxAdmin;
import studio.lerian.streaming.outbox.jpa.internal.CdiOutboxStore;
import studio.lerian.streaming.outbox.jpa.internal.CdiOutboxWriter;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/**
 * The JPA outbox's CDI 4 build-compatible extension, for containers that run no portable extension (Quarkus's ArC):
 * it registers the same {@code @ApplicationScoped} {@link OutboxWriter}, {@link OutboxStore} and {@link OutboxAdmin}
 * as {@link StreamingOutboxExtension} over the application's {@code @StreamingOutbox EntityManagerFactory}, and fails
 * the build with the same message when there is not exactly one. Skipped where the portable extension runs.
 *
 * <p>Such a container may bind no {@code java:comp} names: the outbox takes its JTA registry and user transaction from
 * CDI when it has them as beans (Quarkus's Narayana does), from JNDI otherwise.
 */
@SkipIfPortableExtensionPresent(StreamingOutboxExtension.class)
public class StreamingOutboxBuildExtension implements BuildCompatibleExtension {

    private int units;

    /**
     * {@code @StreamingOutbox} is a qualifier; the outbox's jar need not be a bean archive for the container to know.
     *
     * @param meta the container's qualifiers and other meta-annotations
     */
    @Discovery
    public void qualifier(MetaAnnotations meta) {
        meta.addQualifier(StreamingOutbox.class);
    }

    /** @param bean a persistence unit's factory bean of the application */
    @Registration(types = EntityManagerFactory.class)
    public void persistenceUnit(BeanInfo bean) {
        if (bean.qualifiers().stream().anyMatch(q -> q.declaration().name().equals(StreamingOutbox.class.getName()))) {
            units++;
        }
    }

    /** @param components where the synthetic beans are added */
    @Synthesis
    public void outboxBeans(SyntheticComponents components) {
        components.addBean(CdiOutboxWriter.class).type(OutboxWriter.class).scope(ApplicationScoped.class)
                .createWith(WriterCreator.class);
        components.addBean(CdiOutboxStore.class).type(OutboxStore.class).scope(ApplicationScoped.class)
                .createWith(StoreCreator.class);
        components.addBean(OutboxAdmin.class).type(OutboxAdmin.class).scope(ApplicationScoped.class)
                .createWith(AdminCreator.class);
    }

    /** @param messages where a missing or doubled persistence unit is reported */
    @Validation
    public void onePersistenceUnit(Messages messages) {
        if (units == 0) {
            messages.error(StreamingOutboxExtension.MISSING + " None was found.");
        } else if (units > 1) {
            messages.error(StreamingOutboxExtension.MISSING + " Several were found.");
        }
    }

    /** Creates the writer bean over the application's unit. */
    public static final class WriterCreator implements SyntheticBeanCreator<CdiOutboxWriter> {
        @Override
        public CdiOutboxWriter create(Instance<Object> lookup, Parameters params) {
            return new CdiOutboxWriter(() -> unit(lookup), () -> current(lookup), () -> transactions(lookup));
        }
    }

    /** Creates the store bean over the application's unit. */
    public static final class StoreCreator implements SyntheticBeanCreator<CdiOutboxStore> {
        @Override
        public CdiOutboxStore create(Instance<Object> lookup, Parameters params) {
            return new CdiOutboxStore(() -> unit(lookup), () -> transactions(lookup));
        }
    }

    /** Creates the admin bean over the application's unit. */
    public static final class AdminCreator implements SyntheticBeanCreator<OutboxAdmin> {
        @Override
        public OutboxAdmin create(Instance<Object> lookup, Parameters params) {
            return new OutboxAdmin(unit(lookup), Clock.systemUTC(), transactions(lookup));
        }
    }

    private static EntityManagerFactory unit(Instance<Object> lookup) {
        return lookup.select(EntityManagerFactory.class, StreamingOutbox.Literal.INSTANCE).get();
    }

    private static EntityManager current(Instance<Object> lookup) {
        Instance<EntityManager> current = lookup.select(EntityManager.class, StreamingOutbox.Literal.INSTANCE);
        return current.isResolvable() ? current.get() : null;
    }

    /** The container's JTA beans when it has both, else the standard JNDI names. */
    private static OutboxTransactions transactions(Instance<Object> lookup) {
        Instance<TransactionSynchronizationRegistry> registry = lookup.select(TransactionSynchronizationRegistry.class);
        Instance<UserTransaction> userTransaction = lookup.select(UserTransaction.class);
        return registry.isResolvable() && userTransaction.isResolvable()
                ? OutboxTransactions.of(registry.get(), userTransaction.get()) : OutboxTransactions.lookup();
    }
}
