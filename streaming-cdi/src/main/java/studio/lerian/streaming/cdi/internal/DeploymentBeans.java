package studio.lerian.streaming.cdi.internal;

import java.util.List;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/**
 * What the library takes from the deployment: its catalog providers and event definitions, and an outbox writer and
 * store. Two sources: the beans the portable extension saw announced ({@link ApplicationBeans}), and the beans
 * injected into the runtime where a build-compatible extension runs instead ({@link InjectedBeans}).
 */
public interface DeploymentBeans {

    /** @return how many catalog provider and event definition beans there are, without creating any */
    int declaredEventSources();

    /** @return every {@code @Default} catalog provider */
    List<CatalogProvider> catalogProviders();

    /** @return every event definition bean, whatever its qualifiers */
    List<EventDefinition> eventDefinitions();

    /**
     * @return the outbox writer, or {@code null} when there is none
     * @throws studio.lerian.streaming.StreamingException {@code AMBIGUOUS_OUTBOX_BEANS} when there is more than one
     */
    OutboxWriter outboxWriter();

    /**
     * @return the outbox store, or {@code null} when there is none
     * @throws studio.lerian.streaming.StreamingException {@code AMBIGUOUS_OUTBOX_BEANS} when there is more than one
     */
    OutboxStore outboxStore();
}
