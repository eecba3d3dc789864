package studio.lerian.streaming.cdi.internal;

import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/**
 * The beans of the deployment that the library consumes (catalog providers, event definitions, an outbox writer and
 * store), as the container announced them to {@code StreamingExtension} while discovering the deployment.
 *
 * <p>Why not {@code @Inject Instance<CatalogProvider>} in {@link StreamingRuntime}: that bean is added by the
 * extension, and a container may put a type added by an extension of a jar without {@code beans.xml} into a bean
 * archive of its own that sees no application bean. Payara does (it gives each such type a new bean archive, visible
 * from the application's archives but not the other way round), so an injected {@code Instance} there is empty and the
 * catalog with it. The container fires {@code ProcessBean} for every bean of the deployment to every extension, and
 * {@link BeanManager#getReference} of a given bean applies no visibility rule, so this works on every container.
 */
public final class ApplicationBeans {

    private final Set<Bean<?>> providers = new LinkedHashSet<>();
    private final Set<Bean<?>> definitions = new LinkedHashSet<>();
    private final Set<Bean<?>> writers = new LinkedHashSet<>();
    private final Set<Bean<?>> stores = new LinkedHashSet<>();

    /**
     * Records a bean of the deployment when it is of a type the library consumes: with the {@code @Default} qualifier
     * for catalog providers, outbox writers and stores (as an injected {@code Instance} would select them), with any
     * qualifier for event definitions.
     *
     * @param bean a bean the container discovered
     */
    public synchronized void offer(Bean<?> bean) {
        boolean isDefault = bean.getQualifiers().contains(Default.Literal.INSTANCE);
        if (isDefault && bean.getTypes().contains(CatalogProvider.class)) {
            providers.add(bean);
        }
        if (bean.getTypes().contains(EventDefinition.class)) {
            definitions.add(bean);
        }
        if (isDefault && bean.getTypes().contains(OutboxWriter.class)) {
            writers.add(bean);
        }
        if (isDefault && bean.getTypes().contains(OutboxStore.class)) {
            stores.add(bean);
        }
    }

    /**
     * @return how many catalog provider and event definition beans the deployment declares, without creating any (a
     *         disabled emitter uses it to warn that events are being discarded)
     */
    public synchronized int declaredEventSources() {
        return providers.size() + definitions.size();
    }

    /**
     * @param beans the bean manager that creates the references
     * @return a reference to every catalog provider bean
     */
    public synchronized List<CatalogProvider> catalogProviders(BeanManager beans) {
        return references(providers, CatalogProvider.class, beans);
    }

    /**
     * @param beans the bean manager that creates the references
     * @return every {@code EventDefinition} bean (producer methods and fields, whatever their qualifiers)
     */
    public synchronized List<EventDefinition> eventDefinitions(BeanManager beans) {
        return references(definitions, EventDefinition.class, beans);
    }

    /**
     * @param beans the bean manager that creates the reference
     * @return the outbox writer, or null when there is none
     * @throws StreamingException {@link ErrorCode#AMBIGUOUS_OUTBOX_BEANS} when more than one is left once
     *         alternatives are applied
     */
    public synchronized OutboxWriter outboxWriter(BeanManager beans) {
        return unique(writers, OutboxWriter.class, beans);
    }

    /**
     * @param beans the bean manager that creates the reference
     * @return the outbox store, or null when there is none
     * @throws StreamingException {@link ErrorCode#AMBIGUOUS_OUTBOX_BEANS} when more than one is left once
     *         alternatives are applied
     */
    public synchronized OutboxStore outboxStore(BeanManager beans) {
        return unique(stores, OutboxStore.class, beans);
    }

    /**
     * @param beans the bean manager that creates the references
     * @return this deployment's beans, resolved by the bean manager
     */
    public DeploymentBeans resolvedBy(BeanManager beans) {
        ApplicationBeans app = this;
        return new DeploymentBeans() {
            @Override
            public int declaredEventSources() {
                return app.declaredEventSources();
            }

            @Override
            public List<CatalogProvider> catalogProviders() {
                return app.catalogProviders(beans);
            }

            @Override
            public List<EventDefinition> eventDefinitions() {
                return app.eventDefinitions(beans);
            }

            @Override
            public OutboxWriter outboxWriter() {
                return app.outboxWriter(beans);
            }

            @Override
            public OutboxStore outboxStore() {
                return app.outboxStore(beans);
            }
        };
    }

    private static <T> List<T> references(Set<Bean<?>> found, Class<T> type, BeanManager beans) {
        List<T> out = new ArrayList<>(found.size());
        for (Bean<?> bean : found) {
            out.add(reference(bean, type, beans));
        }
        return out;
    }

    /**
     * The one bean left once alternatives are applied, as {@code Instance.get()} would choose it. Ambiguity fails: taking
     * none would deploy without an outbox (or without its relay, leaving parked rows unpublished) and say nothing.
     */
    private static <T> T unique(Set<Bean<?>> found, Class<T> type, BeanManager beans) {
        if (found.isEmpty()) {
            return null;
        }
        Bean<?> chosen;
        try {
            chosen = beans.resolve(Set.copyOf(found));
        } catch (AmbiguousResolutionException e) {
            throw ambiguous(type, found, e);
        }
        return chosen == null ? null : reference(chosen, type, beans);
    }

    /**
     * The refusal of more than one {@code @Default} outbox writer or store, whichever way the beans were found.
     *
     * @param type the outbox type
     * @param found the beans of that type
     * @param cause the container's own ambiguity error, if it raised one
     * @return the exception to throw
     */
    static StreamingException ambiguous(Class<?> type, java.util.Collection<? extends Bean<?>> found, Throwable cause) {
        return new StreamingException(ErrorCode.AMBIGUOUS_OUTBOX_BEANS, found.size() + " @Default "
                + type.getSimpleName() + " beans: " + found.stream().map(ApplicationBeans::describe)
                        .sorted().collect(Collectors.joining(", "))
                + "; the library needs exactly one. Keep the one that holds its outbox (the outbox module's own)"
                + " and give the others a qualifier (for example @StreamingOutbox) or remove them", cause);
    }

    /** The container's description of the bean (Weld's names the producer method or class): enough to find it. */
    private static String describe(Bean<?> bean) {
        return "[" + bean + "]";
    }

    private static <T> T reference(Bean<?> bean, Class<T> type, BeanManager beans) {
        return type.cast(beans.getReference(bean, type, beans.createCreationalContext(bean)));
    }
}
