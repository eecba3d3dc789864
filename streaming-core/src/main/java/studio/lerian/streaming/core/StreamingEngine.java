package studio.lerian.streaming.core;

import java.lang.System.Logger.Level;
import java.util.Collection;


import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.NoopEmitter;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.config.SettingsSource;
import studio.lerian.streaming.core.internal.CatalogAssembler;
import studio.lerian.streaming.core.internal.EmitterFactory;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.core.internal.outbox.RelayScheduler;
import studio.lerian.streaming.core.internal.telemetry.Telemetries;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/**
 * The emitter without a container: the same engine the CDI module runs, built from settings, a catalog, an optional
 * outbox and a circuit breaker. For plain Java applications, command-line tools and containers other than CDI.
 *
 * <pre>{@code
 * try (StreamingEngine emitter = StreamingEngine.builder()
 *         .settingsFromEnvironment()                       // STREAMING_* variables, streaming.* system properties
 *         .catalog(Catalog.of(List.of(TRANSACTION_CREATED)))
 *         .build()) {
 *     emitter.emit(EmitRequest.builder("transaction.created").tenantId("t-1").payload(json).build());
 * }
 * }</pre>
 *
 * <p>The settings are the {@link ConfigKey}s with the same names, defaults and checks as under MicroProfile Config; a
 * bad value fails {@link Builder#build()} with a {@link studio.lerian.streaming.StreamingException} naming the key.
 * Without {@link Builder#breaker(Breaker)}, publishes are guarded by a {@link CountingBreaker} set by
 * {@code STREAMING_CB_*}. Metrics and traces go to the global OpenTelemetry instance when the application set one and
 * the API is on the class path. Thread-safe; close it when the application stops (it flushes within
 * {@code STREAMING_CLOSE_TIMEOUT_S}).
 */
public final class StreamingEngine implements Emitter {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    private final Emitter emitter;
    private final KafkaEmitter kafka;

    private StreamingEngine(Emitter emitter, KafkaEmitter kafka) {
        this.emitter = emitter;
        this.kafka = kafka;
    }

    /** @return a builder with no settings, no catalog, no outbox and the engine's own breaker */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void emit(EmitRequest request) {
        emitter.emit(request);
    }

    @Override
    public void emitAll(Collection<EmitRequest> requests) {
        emitter.emitAll(requests);
    }

    @Override
    public Health health() {
        return emitter.health();
    }

    /** @return the outbox backlog as of the last count; empty without an outbox store or while disabled */
    public OutboxBacklog outboxBacklog() {
        return kafka == null ? OutboxBacklog.EMPTY : kafka.outboxBacklog();
    }

    /**
     * @return the circuit breaker's state as the emit path last saw it: {@code closed}, {@code half-open} or
     *         {@code open} (always {@code closed} while disabled)
     */
    public String circuitState() {
        return kafka == null ? "closed" : kafka.circuitState().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return the producer id of this instance, when enabled */
    public Optional<String> producerId() {
        return kafka == null ? Optional.empty() : Optional.of(kafka.producerId());
    }

    /** @return whether {@code STREAMING_ENABLED} was true: when false, every emitted event is discarded */
    public boolean enabled() {
        return kafka != null;
    }

    @Override
    public void close() {
        emitter.close();
    }

    @Override
    public String toString() {
        return "StreamingEngine{" + emitter + "}";
    }

    /** Collects what the engine is built from. Not thread-safe; build once. */
    public static final class Builder {

        private SettingsSource settings;
        private Catalog catalog;
        private OutboxWriter writer;
        private OutboxStore store;
        private Breaker breaker;
        private ScheduledExecutorService relayExecutor;

        private Builder() {
        }

        /**
         * Settings from the process: system properties by their property names ({@code streaming.brokers}), else
         * environment variables by the names MicroProfile Config maps them to ({@code STREAMING_BROKERS}). A system
         * property wins over a variable, as under MicroProfile Config's default ordinals.
         *
         * @return this builder
         */
        public Builder settingsFromEnvironment() {
            this.settings = SettingsSource.of(System.getenv(), System.getProperties());
            return this;
        }

        /**
         * Settings from a map, keyed by property names ({@code streaming.brokers}) or variable names
         * ({@code STREAMING_BROKERS}); a property name wins where both are given.
         *
         * @param settings the settings; copied
         * @return this builder
         */
        public Builder settings(Map<String, String> settings) {
            this.settings = SettingsSource.of(settings);
            return this;
        }

        /**
         * Settings from a lookup by property name, such as a container's configuration: the engine asks for each
         * {@link ConfigKey#property()} ({@code streaming.brokers}, ...) and enumerates {@code names} for the Kafka
         * client properties passed through ({@code STREAMING_KAFKA_*}, {@code streaming.kafka.*}). With MicroProfile
         * Config: {@code settings(p -> config.getOptionalValue(p, String.class).orElse(null), config.getPropertyNames())}.
         *
         * @param lookup the raw value of a property, or {@code null} when unset
         * @param names every property and variable name the configuration holds
         * @return this builder
         */
        public Builder settings(Function<String, String> lookup, Iterable<String> names) {
            this.settings = new SettingsSource(lookup, names);
            return this;
        }

        /**
         * The event definitions. Without this, the catalog is assembled from the {@link CatalogProvider}s that
         * {@link java.util.ServiceLoader} finds through the thread's context class loader.
         *
         * @param catalog the catalog
         * @return this builder
         */
        public Builder catalog(Catalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /**
         * An outbox: the writer parks events (inside the caller's transaction when the writer joins one) when the
         * circuit is open, the policy says so, or the key has a backlog; the store lets this instance watch the
         * backlog and, when {@code STREAMING_OUTBOX_RELAY_ENABLED} is true, relay it.
         *
         * @param writer where events are parked; {@code null} for a relay-only instance
         * @param store what the backlog probe and the relay read; {@code null} for a park-only instance
         * @return this builder
         */
        public Builder outbox(OutboxWriter writer, OutboxStore store) {
            this.writer = writer;
            this.store = store;
            return this;
        }

        /**
         * The circuit breaker in front of the broker, instead of the engine's {@link CountingBreaker}.
         *
         * @param breaker the breaker, thread-safe
         * @return this builder
         */
        public Builder breaker(Breaker breaker) {
            this.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /**
         * Where the outbox relay polls, for a container that manages its threads; the engine neither shuts it down
         * nor owns it. Without this, the relay runs on a daemon thread of its own.
         *
         * @param executor a scheduled executor of the container
         * @return this builder
         */
        public Builder relayExecutor(ScheduledExecutorService executor) {
            this.relayExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Checks the settings and the catalog and builds the engine (the Kafka client connects on the first send).
         *
         * @return the engine; a discarding one when {@code STREAMING_ENABLED} is not true
         * @throws studio.lerian.streaming.StreamingException with a caller-correctable code naming the key or the
         *         definition when the settings or the catalog are wrong
         * @throws IllegalStateException when no settings were given
         */
        public StreamingEngine build() {
            if (settings == null) {
                throw new IllegalStateException("no settings: call settingsFromEnvironment() or settings(Map)");
            }
            StreamingConfig config = StreamingConfigLoader.load(settings.lookup(), settings.names());
            for (String warning : config.warnings()) {
                LOG.log(Level.WARNING, "streaming: " + warning);
            }
            if (!config.active()) {
                LOG.log(Level.INFO, () -> "streaming: disabled (" + ConfigKey.ENABLED.env()
                        + "=false or unset); events are discarded");
                return new StreamingEngine(NoopEmitter.instance(), null);
            }
            Catalog cat = catalog != null ? catalog
                    : CatalogAssembler.assemble(List.of(), List.of(), Thread.currentThread().getContextClassLoader());
            ScheduledExecutorService executor = relayExecutor;
            KafkaEmitter kafka = EmitterFactory.create(config, cat, breaker, writer, store,
                    Telemetries.provider(Telemetries.ContainerLookup.NONE),
                    relayId -> executor != null ? new RelayScheduler.Executor(executor, false, "given")
                            : RelayScheduler.ownThread(relayId));
            LOG.log(Level.INFO, () -> LogLine.of("streaming: engine started").field("producer_id", kafka.producerId())
                    .field("definitions", cat.size()).field("outbox", writer == null ? "none"
                            : writer.getClass().getName())
                    .field("relay", kafka.relay().isPresent()).toString());
            return new StreamingEngine(kafka, kafka);
        }
    }
}
