package studio.lerian.streaming.core.internal.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.internal.RecordSender;
import studio.lerian.streaming.core.internal.TestPublishers;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.core.internal.config.StreamingConfig.OutboxSettings;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.kafka.RecordFormat;

/**
 * Nothing a poll throws ends the relay's schedule: an {@link Error} (an {@link OutOfMemoryError} while loading a batch
 * of large envelopes, a {@link LinkageError}) used to escape into the scheduler's future, unlogged, and no poll ever
 * ran again. And a relay that completes no poll for longer than its stall limit says so, for readiness.
 */
class OutboxRelayKeepsPollingTest {

    private static final Duration INTERVAL = Duration.ofMillis(20);
    private static final OutboxSettings SETTINGS = new OutboxSettings(true, true, INTERVAL, 200, 10,
            Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(24), 256,
            Duration.ofSeconds(10), false, Duration.ofMillis(500)); // a short batch budget: the stall limit is twice it plus the poll interval

    private final InMemoryOutboxStore store = new InMemoryOutboxStore();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final RecordSender publisher = TestPublishers.over(producer, RecordFormat.LERIAN,
            Duration.ofMillis(200), Telemetry.NOOP);
    private final List<LogRecord> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private OutboxRelay relay;

    @BeforeEach
    void captureLog() {
        Logger.getLogger("studio.lerian.streaming").addHandler(capture);
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        publisher.close();
        Logger.getLogger("studio.lerian.streaming").removeHandler(capture);
    }

    private OutboxRelay start() {
        relay = new OutboxRelay(store, publisher, SETTINGS, false, RowOwnership.of(Catalog.empty(), true),
                new BacklogFlag(), "relay-1", RelayScheduler.ownThread("relay-1").service(), true, Telemetry.NOOP);
        relay.start();
        return relay;
    }

    @Test
    void anErrorInAPollIsLoggedAndTheNextPollRuns() {
        AtomicInteger polls = new AtomicInteger();
        store.beforeClaim(() -> {
            switch (polls.incrementAndGet()) {
                case 1 -> throw new OutOfMemoryError("Java heap space");
                case 2 -> throw new NoClassDefFoundError("studio/lerian/Gone");
                case 3 -> throw new IllegalStateException("database down");
                default -> { }
            }
        });
        start();

        await("polls after the errors").atMost(Duration.ofSeconds(10)).until(() -> store.claims() >= 5);
        assertTrue(logged(Level.SEVERE, "java.lang.OutOfMemoryError: Java heap space"), this::logText);
        assertTrue(logged(Level.SEVERE, "java.lang.NoClassDefFoundError: studio/lerian/Gone"), this::logText);
        assertTrue(logged(Level.WARNING, "error=\"database down\""), this::logText);
    }

    @Test
    void aRelayWhosePollsKeepFailingIsStalledUntilOneCompletes() {
        store.beforeClaim(() -> {
            throw new IllegalStateException("database down");
        });
        start();
        assertFalse(relay.stalled(), "just started");

        await("stalled").atMost(Duration.ofSeconds(10)).until(relay::stalled);
        assertTrue(relay.sinceLastPoll().compareTo(relay.stallLimit()) > 0);

        store.beforeClaim(() -> { });
        await("polling again").atMost(Duration.ofSeconds(10)).until(() -> !relay.stalled());
    }

    private boolean logged(Level level, String text) {
        return log.stream().anyMatch(r -> r.getLevel().equals(level) && r.getMessage().contains("outbox relay poll "
                + "failed") && r.getMessage().contains(text));
    }

    private String logText() {
        return log.stream().map(r -> r.getLevel() + " " + r.getMessage()).reduce("", (a, b) -> a + "\n" + b);
    }
}
