package studio.lerian.streaming.cdi.internal;

import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.cdi.internal.config.StreamingConfig;
import studio.lerian.streaming.cdi.kafka.RecordFormat;
import studio.lerian.streaming.cdi.kafka.RecordFramer;
import studio.lerian.streaming.cdi.internal.outbox.BacklogFlag;
import studio.lerian.streaming.cdi.internal.outbox.RelayScheduler;
import studio.lerian.streaming.cdi.internal.outbox.OutboxRelay;
import studio.lerian.streaming.cdi.internal.outbox.RowOwnership;
import studio.lerian.streaming.cdi.internal.telemetry.Telemetry;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/** Builds the Kafka emitter from a validated configuration and catalog, checking what needs both. */
public final class EmitterFactory {

    private EmitterFactory() {
    }

    /**
     * Checks the catalog against the configuration: not empty; every policy override names a definition; system
     * events only with the opt-in; data schemas are URIs when a Kafka-binding format needs them.
     *
     * @param config the configuration (enabled)
     * @param catalog the catalog
     * @throws StreamingException a caller-correctable code naming the problem
     */
    public static void validate(StreamingConfig config, Catalog catalog) {
        if (catalog.isEmpty()) {
            throw new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION,
                    "catalog is empty (declare at least one EventDefinition through a CatalogProvider)");
        }
        for (String key : config.policyOverrides().keySet()) {
            if (catalog.lookup(key).isEmpty()) {
                throw new StreamingException(ErrorCode.INVALID_DELIVERY_POLICY, "STREAMING_EVENT_POLICIES names "
                        + "\"" + key + "\"", new StreamingException(ErrorCode.UNKNOWN_EVENT_DEFINITION,
                        "\"" + key + "\""));
            }
        }
        for (EventDefinition d : catalog.definitions()) {
            if (d.systemEvent() && !config.allowSystemEvents()) {
                throw new StreamingException(ErrorCode.SYSTEM_EVENTS_NOT_ALLOWED, "catalog contains system event \""
                        + d.key() + "\" but STREAMING_ALLOW_SYSTEM_EVENTS is false");
            }
            if (config.format() != RecordFormat.LERIAN && !d.dataSchema().isEmpty()) {
                try {
                    new java.net.URI(d.dataSchema());
                } catch (java.net.URISyntaxException e) {
                    throw new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION, "\"" + d.key()
                            + "\": dataSchema is not a URI, which " + config.format().wire() + " requires");
                }
            }
        }
    }

    /**
     * Builds the emitter (the Kafka client connects lazily, on the first send).
     *
     * @param config the configuration (enabled)
     * @param catalog the validated catalog
     * @param guarded the breaker-guarded publisher bean
     * @return the emitter
     */
    public static KafkaEmitter create(StreamingConfig config, Catalog catalog, GuardedPublisher guarded) {
        return create(config, catalog, guarded, null, null);
    }

    /**
     * Builds the emitter with an outbox; starts the outbox relay when a store is given and
     * {@code STREAMING_OUTBOX_RELAY_ENABLED} is true.
     *
     * @param config the configuration (enabled)
     * @param catalog the validated catalog
     * @param guarded the breaker-guarded publisher bean
     * @param writer the outbox writer; {@code null} without an outbox module
     * @param store the outbox store; {@code null} without an outbox module
     * @return the emitter
     */
    public static KafkaEmitter create(StreamingConfig config, Catalog catalog, GuardedPublisher guarded,
            OutboxWriter writer, OutboxStore store) {
        return create(config, catalog, guarded, writer, store, Telemetry.Provider.NOOP);
    }

    /**
     * Builds the emitter with an outbox and telemetry; starts the outbox relay when a store is given and
     * {@code STREAMING_OUTBOX_RELAY_ENABLED} is true.
     *
     * @param config the configuration (enabled)
     * @param catalog the validated catalog
     * @param guarded the breaker-guarded publisher bean
     * @param writer the outbox writer; {@code null} without an outbox module
     * @param store the outbox store; {@code null} without an outbox module
     * @param telemetry where metrics and traces go, see {@link studio.lerian.streaming.cdi.internal.telemetry.Telemetries}
     * @return the emitter
     */
    public static KafkaEmitter create(StreamingConfig config, Catalog catalog, GuardedPublisher guarded,
            OutboxWriter writer, OutboxStore store, Telemetry.Provider telemetry) {
        return create(config, catalog, guarded, writer, store, telemetry, RelayScheduler::ownThread);
    }

    /**
     * Builds the emitter with an outbox, telemetry and the relay's executor; starts the outbox relay when a store is
     * given and {@code STREAMING_OUTBOX_RELAY_ENABLED} is true.
     *
     * @param config the configuration (enabled)
     * @param catalog the validated catalog
     * @param guarded the breaker-guarded publisher bean
     * @param writer the outbox writer; {@code null} without an outbox module
     * @param store the outbox store; {@code null} without an outbox module
     * @param telemetry where metrics and traces go
     * @param relayExecutor the relay's executor, by relay id (asked only when a relay runs)
     * @return the emitter
     */
    public static KafkaEmitter create(StreamingConfig config, Catalog catalog, GuardedPublisher guarded,
            OutboxWriter writer, OutboxStore store, Telemetry.Provider telemetry,
            Function<String, RelayScheduler.Executor> relayExecutor) {
        validate(config, catalog);
        Producer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(ProducerSettings.producer(config));
        } catch (KafkaException e) {
            // e.g. "No resolvable bootstrap urls": say which setting to look at.
            throw new StreamingException(ErrorCode.INVALID_CONFIG_FIELD, "the Kafka producer refused the configuration"
                    + " (STREAMING_BROKERS=\"" + String.join(",", config.brokers()) + "\"): "
                    + Sanitizer.describe(e.getCause() != null ? e.getCause() : e), e);
        }
        String producerId = EventIds.next();
        Telemetry tel = telemetry.create(producerId, config.clientId());
        KafkaPublisher publisher = new KafkaPublisher(producer, new RecordFramer(config.format()), producerId,
                config.deliveryTimeout(), config.maxBufferedRecords(), config.closeTimeout(), tel);
        EmitPreparer preparer = new EmitPreparer(catalog, config.policyOverrides(), config.source(),
                config.allowSystemEvents());
        BacklogFlag backlog = new BacklogFlag();
        OutboxRelay relay = null;
        if (store != null && config.outbox().relayEnabled()) {
            RelayScheduler.Executor executor = relayExecutor.apply(producerId);
            relay = new OutboxRelay(store, publisher, config.outbox(), config.allowSystemEvents(),
                    RowOwnership.of(catalog, config.outbox().foreignRows()), backlog, producerId,
                    executor.service(), executor.owned(), tel);
        }
        BreakerState breaker = new BreakerState(producerId);
        KafkaEmitter emitter = new KafkaEmitter(preparer, guarded, publisher,
                new BrokerProbe(ProducerSettings.admin(config)), breaker,
                new OutboxRoute(writer, store, backlog, config.outbox().strictOrder()), relay, tel);
        tel.observe(() -> breaker.state().gauge(), relay == null ? null : relay::backlog);
        if (relay != null) {
            relay.start();
        }
        return emitter;
    }
}
