package studio.lerian.streaming.core.internal;

import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.Breaker;
import studio.lerian.streaming.core.CountingBreaker;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.kafka.RecordFramer;
import studio.lerian.streaming.core.internal.outbox.BacklogFlag;
import studio.lerian.streaming.core.internal.outbox.BacklogProbe;
import studio.lerian.streaming.core.internal.outbox.OpenParks;
import studio.lerian.streaming.core.internal.outbox.RelayScheduler;
import studio.lerian.streaming.core.internal.outbox.OutboxRelay;
import studio.lerian.streaming.core.internal.outbox.RowOwnership;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/** Builds the Kafka emitter from a validated configuration and catalog, checking what needs both. */
public final class EmitterFactory {

    private EmitterFactory() {
    }

    /**
     * Checks the catalog against the configuration: not empty; every policy override names a definition and leaves its
     * policy consistent; system events only with the opt-in; data schemas are URIs when a Kafka-binding format needs
     * them.
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
        for (Map.Entry<String, DeliveryPolicyOverride> entry : config.policyOverrides().entrySet()) {
            String key = entry.getKey();
            EventDefinition definition = catalog.lookup(key).orElseThrow(() -> new StreamingException(
                    ErrorCode.INVALID_DELIVERY_POLICY, ConfigKey.EVENT_POLICIES.env() + " names \"" + key + "\"",
                    new StreamingException(ErrorCode.UNKNOWN_EVENT_DEFINITION, "\"" + key + "\"")));
            try {
                // Every emit resolves this before its own override, so a policy this leaves inconsistent refuses them
                // all: refuse the deployment instead.
                definition.defaultPolicy().with(entry.getValue());
            } catch (StreamingException e) {
                throw new StreamingException(ErrorCode.INVALID_DELIVERY_POLICY, ConfigKey.EVENT_POLICIES.env()
                        + " entry \"" + entry(key, entry.getValue()) + "\" over the definition's default policy "
                        + definition.defaultPolicy() + " refuses every emit of \"" + key + "\": "
                        + e.getMessage().replaceFirst("^" + java.util.regex.Pattern.quote(e.code().message() + ": "),
                                ""), e);
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

    /** The override as the policy list spells it, e.g. {@code audit.logged.direct=skip;audit.logged.dlq=never}. */
    private static String entry(String key, DeliveryPolicyOverride override) {
        StringJoiner out = new StringJoiner(";");
        override.enabled().ifPresent(v -> out.add(key + ".enabled=" + v));
        override.direct().ifPresent(v -> out.add(key + ".direct=" + v.wire()));
        override.outbox().ifPresent(v -> out.add(key + ".outbox=" + v.wire()));
        override.dlq().ifPresent(v -> out.add(key + ".dlq=" + v.wire()));
        return out.toString();
    }

    /**
     * The engine's own breaker, as {@code STREAMING_CB_*} set it: what an application without MicroProfile Fault
     * Tolerance gets.
     *
     * @param config the configuration (enabled)
     * @return a new breaker
     */
    public static CountingBreaker countingBreaker(StreamingConfig config) {
        return new CountingBreaker(config.cbMinRequests(), config.cbFailureRatio(), config.cbTimeout(),
                ConfigKey.BreakerDefaults.SUCCESS_THRESHOLD);
    }

    /**
     * Builds the emitter (the Kafka client connects lazily, on the first send).
     *
     * @param config the configuration (enabled)
     * @param catalog the validated catalog
     * @param breaker the circuit breaker; {@code null} for the engine's own, set by {@code STREAMING_CB_*}
     * @return the emitter
     */
    public static KafkaEmitter create(StreamingConfig config, Catalog catalog, Breaker breaker) {
        return create(config, catalog, breaker, null, null);
    }

    /**
     * Builds the emitter with an outbox; starts the backlog probe when a store is given, and the outbox relay when
     * also {@code STREAMING_OUTBOX_RELAY_ENABLED} is true.
     *
     * @param config the configuration (enabled)
     * @param catalog the validated catalog
     * @param breaker the circuit breaker; {@code null} for the engine's own, set by {@code STREAMING_CB_*}
     * @param writer the outbox writer; {@code null} without an outbox module
     * @param store the outbox store; {@code null} without an outbox module
     * @return the emitter
     */
    public static KafkaEmitter create(StreamingConfig config, Catalog catalog, Breaker breaker,
            OutboxWriter writer, OutboxStore store) {
        return create(config, catalog, breaker, writer, store, Telemetry.Provider.NOOP);
    }

    /**
     * Builds the emitter with an outbox and telemetry; starts the backlog probe when a store is given, and the outbox
     * relay when also {@code STREAMING_OUTBOX_RELAY_ENABLED} is true.
     *
     * @param config the configuration (enabled)
     * @param catalog the validated catalog
     * @param breaker the circuit breaker; {@code null} for the engine's own, set by {@code STREAMING_CB_*}
     * @param writer the outbox writer; {@code null} without an outbox module
     * @param store the outbox store; {@code null} without an outbox module
     * @param telemetry where metrics and traces go, see {@link studio.lerian.streaming.core.internal.telemetry.Telemetries}
     * @return the emitter
     */
    public static KafkaEmitter create(StreamingConfig config, Catalog catalog, Breaker breaker,
            OutboxWriter writer, OutboxStore store, Telemetry.Provider telemetry) {
        return create(config, catalog, breaker, writer, store, telemetry, RelayScheduler::ownThread);
    }

    /**
     * Builds the emitter with an outbox, telemetry and the relay's executor; starts the outbox relay when a store is
     * given and {@code STREAMING_OUTBOX_RELAY_ENABLED} is true.
     *
     * @param config the configuration (enabled)
     * @param catalog the validated catalog
     * @param breaker the circuit breaker; {@code null} for the engine's own, set by {@code STREAMING_CB_*}
     * @param writer the outbox writer; {@code null} without an outbox module
     * @param store the outbox store; {@code null} without an outbox module
     * @param telemetry where metrics and traces go
     * @param relayExecutor the relay's executor, by relay id (asked only when a relay runs)
     * @return the emitter
     */
    public static KafkaEmitter create(StreamingConfig config, Catalog catalog, Breaker breaker,
            OutboxWriter writer, OutboxStore store, Telemetry.Provider telemetry,
            Function<String, RelayScheduler.Executor> relayExecutor) {
        validate(config, catalog);
        Producer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(ProducerSettings.producer(config));
        } catch (KafkaException e) {
            // The loader checked every value; what is left is what only the client can tell, such as a broker host
            // that does not resolve ("No resolvable bootstrap urls"). Name the brokers only when that is the problem.
            String reason = Sanitizer.describe(e.getCause() != null ? e.getCause() : e);
            throw new StreamingException(ErrorCode.INVALID_CONFIG_FIELD, "the Kafka producer refused the configuration"
                    + (reason.contains("bootstrap") ? " (" + ConfigKey.BROKERS.env() + "=\""
                            + String.join(",", config.brokers()) + "\")" : "") + ": " + reason, e);
        }
        String producerId = EventIds.next();
        Telemetry tel = telemetry.create(producerId, config.clientId());
        // The definition's constant headers are shared between records unless the application adds producer
        // interceptors, which see the records and could write into a shared value.
        boolean shareHeaders = config.kafka().getOrDefault(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, "").isBlank();
        RecordSender publisher = new RecordSender(producer, new RecordFramer(config.format(), shareHeaders), producerId,
                config.deliveryTimeout(), config.maxBufferedRecords(), config.closeTimeout(), tel);
        EmitPreparer preparer = new EmitPreparer(catalog, config.policyOverrides(), config.source(),
                config.allowSystemEvents());
        BacklogFlag backlog = new BacklogFlag();
        OpenParks openParks = new OpenParks();
        // Every instance with a store watches the backlog, relay or not: strict ordering needs to know of rows any
        // instance parked, and the gauges report the table's backlog wherever they are read.
        BacklogProbe probe = store == null ? null
                : new BacklogProbe(store, backlog, openParks, config.outbox().pollInterval(), producerId);
        OutboxRelay relay = null;
        if (store != null && config.outbox().relayEnabled()) {
            RelayScheduler.Executor executor = relayExecutor.apply(producerId);
            relay = new OutboxRelay(store, publisher, config.outbox(), config.allowSystemEvents(),
                    RowOwnership.of(catalog, config.outbox().foreignRows()), backlog, producerId,
                    executor.service(), executor.owned(), tel);
        }
        BreakerGate gate = new BreakerGate(breaker != null ? breaker : countingBreaker(config), producerId);
        KafkaEmitter emitter = new KafkaEmitter(preparer, gate, publisher,
                new BrokerProbe(ProducerSettings.admin(config)),
                new OutboxRoute(writer, store, backlog, openParks, config.outbox().strictOrder()), probe, relay, tel);
        tel.observe(() -> gate.state().gauge(), probe == null ? null : probe::backlog);
        if (probe != null) {
            probe.start();
        }
        if (relay != null) {
            relay.start();
        }
        return emitter;
    }
}
