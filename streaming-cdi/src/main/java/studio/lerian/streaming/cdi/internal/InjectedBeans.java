package studio.lerian.streaming.cdi.internal;

import jakarta.enterprise.inject.Instance;
import java.util.List;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/**
 * The deployment's beans as injected into {@link StreamingRuntime}, where the container runs the build-compatible
 * extension (Quarkus). The injected {@code Instance}s also tell such a container that these beans are used, so that
 * it keeps them.
 *
 * @param providers the {@code @Default} catalog providers
 * @param definitions the event definitions, {@code @Any}
 * @param writers the {@code @Default} outbox writers
 * @param stores the {@code @Default} outbox stores
 */
record InjectedBeans(Instance<CatalogProvider> providers, Instance<EventDefinition> definitions,
        Instance<OutboxWriter> writers, Instance<OutboxStore> stores) implements DeploymentBeans {

    @Override
    public int declaredEventSources() {
        return (int) (providers.handlesStream().count() + definitions.handlesStream().count());
    }

    @Override
    public List<CatalogProvider> catalogProviders() {
        return providers.stream().toList();
    }

    @Override
    public List<EventDefinition> eventDefinitions() {
        return definitions.stream().toList();
    }

    @Override
    public OutboxWriter outboxWriter() {
        return unique(writers, OutboxWriter.class);
    }

    @Override
    public OutboxStore outboxStore() {
        return unique(stores, OutboxStore.class);
    }

    /** The one bean, as {@link ApplicationBeans} chooses it: none is null, more than one fails as it does. */
    private static <T> T unique(Instance<T> found, Class<T> type) {
        if (found.isUnsatisfied()) {
            return null;
        }
        if (found.isAmbiguous()) {
            throw ApplicationBeans.ambiguous(type, found.handlesStream().map(Instance.Handle::getBean).toList(), null);
        }
        return found.get();
    }
}
