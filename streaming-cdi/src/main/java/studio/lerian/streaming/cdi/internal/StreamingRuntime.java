package studio.lerian.streaming.cdi.internal;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.NoopEmitter;
import studio.lerian.streaming.cdi.StreamingBreaker;
import studio.lerian.streaming.cdi.internal.outbox.ManagedRelayScheduler;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.config.KafkaClientProperties;
import studio.lerian.streaming.core.internal.CatalogAssembler;
import studio.lerian.streaming.core.internal.EmitterFactory;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.telemetry.Telemetries;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/**
 * Owns the application's emitter: reads the configuration, assembles the catalog, builds the emitter once (at
 * deployment through {@code StreamingExtension} on Weld, when the application starts on a container that runs
 * {@code StreamingBuildExtension} instead) and produces it for {@code @Inject Emitter}. The emitter is closed, flushing
 * within {@code STREAMING_CLOSE_TIMEOUT_S}, when the application stops.
 *
 * <p>Registered by either extension as an {@code @ApplicationScoped} bean; not discovered by scanning.
 */
public class StreamingRuntime {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    @Inject
    Config config;

    @Inject
    StreamingBreaker breaker;

    @Inject
    BeanManager beans;

    // The deployment's beans, used where the build-compatible extension runs instead of the portable one (which
    // finds them itself, see ApplicationBeans); injecting them also keeps them in a container that removes unused
    // beans.
    @Inject
    Instance<CatalogProvider> catalogProviders;

    @Inject
    @Any
    Instance<EventDefinition> eventDefinitions;

    @Inject
    Instance<OutboxWriter> outboxWriters;

    @Inject
    Instance<OutboxStore> outboxStores;

    private volatile Emitter emitter;
    private volatile StreamingConfig loaded;
    private volatile Catalog catalog;
    private boolean stopped;

    /**
     * Builds the emitter if not built yet. Called at deployment so that a bad configuration or catalog fails it.
     *
     * @param app the deployment's catalog providers, event definitions and outbox
     * @return the emitter
     * @throws studio.lerian.streaming.StreamingException with a caller-correctable code when the configuration or the
     *         catalog is invalid
     */
    public synchronized Emitter start(DeploymentBeans app) {
        if (emitter != null) {
            return emitter;
        }
        StreamingConfig cfg = MicroProfileSettings.load(config);
        for (String warning : cfg.warnings()) {
            LOG.log(Level.WARNING, "streaming: " + warning);
        }
        if (!cfg.active()) {
            int sources = app.declaredEventSources();
            if (sources > 0) {
                // An application that declares events means to emit them: a manifest that forgot the switch must not
                // drop them quietly (the emitter stays ready, so only the log can say it).
                LOG.log(Level.WARNING, () -> LogLine.of("streaming: disabled while the application declares events;"
                        + " every emitted event is discarded until " + ConfigKey.ENABLED.env() + "=true")
                        .field("key", ConfigKey.ENABLED.env()).field("catalog_sources", sources).toString());
            } else {
                LOG.log(Level.INFO, () -> "streaming: disabled (" + ConfigKey.ENABLED.env()
                        + "=false or unset); events are discarded");
            }
            loaded = cfg;
            catalog = Catalog.empty();
            emitter = NoopEmitter.instance();
            return emitter;
        }
        Catalog cat = CatalogAssembler.assemble(app.catalogProviders(), app.eventDefinitions(),
                Thread.currentThread().getContextClassLoader());
        OutboxWriter writer = app.outboxWriter();
        OutboxStore store = app.outboxStore();
        KafkaEmitter kafka = EmitterFactory.create(cfg, cat, breaker, writer, store,
                Telemetries.provider(type -> resolvable(beans, type)),
                relayId -> ManagedRelayScheduler.preferManaged(beans, relayId));
        LOG.log(Level.INFO, () -> LogLine.of("streaming: emitter started").field("producer_id", kafka.producerId())
                .field("brokers", Sanitizer.sanitize(String.join(",", cfg.brokers())))
                .field("format", cfg.format().wire()).field("definitions", cat.size())
                .field("outbox", writer == null ? "none" : writer.getClass().getName())
                .field("relay", kafka.relay().isPresent())
                .field("ordering", cfg.outbox().strictOrder() ? "strict" : "relaxed")
                .field("kafka_properties", KafkaClientProperties.masked(cfg.kafka())).toString());
        loaded = cfg;
        catalog = cat;
        emitter = kafka;
        return emitter;
    }

    /** The deployment's one bean of the type, if it has exactly one. */
    private static Optional<Object> resolvable(BeanManager beans, Class<?> type) {
        Instance<?> bean = beans.createInstance().select(type);
        return bean.isResolvable() ? Optional.of(bean.get()) : Optional.empty();
    }

    /**
     * Where the build-compatible extension runs (Quarkus), the library starts when the application does, so that a bad
     * configuration or catalog fails the start. Where the portable extension runs, it started at deployment already
     * and this does nothing.
     */
    void started(@Observes Startup event) {
        start(injected());
    }

    /** Closes the emitter when the application scope ends, where no portable extension did it before. */
    @PreDestroy
    void destroyed() {
        shutdown();
    }

    private DeploymentBeans injected() {
        return new InjectedBeans(catalogProviders, eventDefinitions, outboxWriters, outboxStores);
    }

    /** @return the configuration in force, after {@link #start(DeploymentBeans)} */
    public StreamingConfig config() {
        return loaded;
    }

    /** @return the catalog in force, after {@link #start(DeploymentBeans)} (empty when disabled) */
    public Catalog catalog() {
        return catalog;
    }

    /**
     * The injectable emitter. Dependent-scoped on purpose: the runtime holds the single instance, and a dependent
     * producer hands out the real object (a {@code NoopEmitter} or the Kafka emitter), not a client proxy.
     *
     * @return the emitter
     */
    @Produces
    Emitter emitter() {
        Emitter e = emitter;
        // The portable extension starts the library before any bean can ask; where the build-compatible extension
        // runs, a bean of the application may ask before the start event reaches this one.
        return e != null ? e : start(injected());
    }

    /** Flushes and closes the emitter; idempotent. */
    public synchronized void shutdown() {
        Emitter e = emitter;
        if (e != null && !stopped) {
            stopped = true;
            e.close();
            LOG.log(Level.INFO, "streaming: emitter stopped");
        }
    }
}
