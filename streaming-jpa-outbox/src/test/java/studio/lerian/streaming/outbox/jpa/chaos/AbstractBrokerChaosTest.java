package studio.lerian.streaming.outbox.jpa.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.Persistence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.cdi.support.BrokerProcess;
import studio.lerian.streaming.cdi.support.Fixture;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * Broker chaos: a real broker in its own OS process is killed with SIGKILL and restarted on the same ports and data,
 * {@code chaos.kills} times, while {@code chaos.callers} caller threads across {@code chaos.tenants} tenants emit
 * steadily (about {@code chaos.rate} events a second in total) with the JPA outbox wired. After the last restart and
 * the drain: every emit that returned without error is on the topic (deduplicated on {@code ce-id}, duplicates
 * counted), each tenant's events are in the order they were emitted (strict ordering, the default), and no emit blocked
 * longer than the delivery timeout plus one second.
 *
 * <p>The defaults are the short run of {@code mvn verify}; {@code -Pchaos-long} raises the counts.
 */
abstract class AbstractBrokerChaosTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);

    private static final int KILLS = Integer.getInteger("chaos.kills", 3);
    private static final int CALLERS = Integer.getInteger("chaos.callers", 16);
    private static final int TENANTS = Integer.getInteger("chaos.tenants", 20);
    private static final int RATE = Integer.getInteger("chaos.rate", 320);
    /** How long the broker serves between two kills, and how long it stays dead. */
    private static final Duration UP = Duration.ofMillis(Long.getLong("chaos.up.ms", 2000));
    private static final Duration DOWN = Duration.ofMillis(Long.getLong("chaos.down.ms", 2500));

    private TestDatabase db;
    private BrokerProcess broker;
    private StreamingContainer app;

    abstract TestDatabase openDatabase();

    abstract String name();

    @BeforeEach
    void start() {
        db = openDatabase();
        db.applyShippedDdl();
        // One connection per caller thread plus the relay's: the shared test unit's pool of 8 is for smaller tests.
        ChaosApplication.unit = Persistence.createEntityManagerFactory("lerian-streaming-test", Map.of(
                "jakarta.persistence.jdbc.url", db.url(), "jakarta.persistence.jdbc.user", db.user(),
                "jakarta.persistence.jdbc.password", "", "hibernate.connection.pool_size",
                Integer.toString(CALLERS + 8)));
        broker = new BrokerProcess(Paths.get("target", "chaos")).start();
        broker.createTopic(TOPIC, 3);
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.cb.min.requests", "4");
        config.put("streaming.cb.timeout.s", "2");
        config.put("streaming.record.delivery.timeout.s", Long.toString(DELIVERY_TIMEOUT.toSeconds()));
        config.put("streaming.outbox.poll.interval.ms", "100");
        app = StreamingContainer.start(config, Fixture.Definitions.class, ChaosApplication.class);
    }

    @AfterEach
    void stop() throws SQLException {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (ChaosApplication.unit != null) {
            ChaosApplication.unit.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyAcknowledgedEmitSurvivesRepeatedBrokerKills() throws Exception {
        Emitter emitter = app.emitter();
        Map<String, List<Integer>> acked = new ConcurrentHashMap<>();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicLong longest = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        for (int t = 0; t < TENANTS; t++) {
            acked.put("tenant-" + t, new ArrayList<>());
        }
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> done = new ArrayList<>();
        long pace = TimeUnit.SECONDS.toNanos(1) * CALLERS / RATE;
        for (int c = 0; c < CALLERS; c++) {
            // Each tenant belongs to one caller thread, so "the order it was emitted in" is well defined.
            List<String> mine = new ArrayList<>();
            for (int t = c; t < TENANTS; t += CALLERS) {
                mine.add("tenant-" + t);
            }
            done.add(callers.submit(() -> {
                int[] seq = new int[mine.size()];
                long nextSlot = System.nanoTime();
                for (int i = 0; running.get(); i = (i + 1) % mine.size()) {
                    // A steady caller: one emit per slot, no catching up in bursts (a rate, not a wait for a state).
                    nextSlot = Math.max(nextSlot + pace, System.nanoTime());
                    LockSupport.parkNanos(nextSlot - System.nanoTime());
                    String tenant = mine.get(i);
                    int s = seq[i]++;
                    long started = System.nanoTime();
                    attempts.incrementAndGet();
                    try {
                        emitter.emit(EmitRequest.builder("transaction.created").tenantId(tenant)
                                .eventId(tenant + "-" + s).payload("{\"seq\":" + s + "}").build());
                        acked.get(tenant).add(s);
                    } catch (StreamingException notAcknowledged) {
                        // the caller saw the failure; such an event is not owed
                        failures.merge(StreamingErrors.emitException(notAcknowledged)
                                .map(x -> x.errorClass().wire()).orElse(notAcknowledged.code().name()), 1,
                                Integer::sum);
                    } catch (RuntimeException untyped) {
                        // not part of the contract: the caller must only ever see a StreamingException
                        failures.merge("UNTYPED " + untyped, 1, Integer::sum);
                    } finally {
                        longest.accumulateAndGet(System.nanoTime() - started, Math::max);
                    }
                }
                return null;
            }));
        }

        long maxParked = 0;
        long chaosStarted = System.nanoTime();
        for (int kill = 1; kill <= KILLS; kill++) {
            await().pollDelay(UP).atMost(UP.plusSeconds(1)).until(() -> true); // the broker serves a while
            broker.kill();
            await().pollDelay(DOWN).atMost(DOWN.plusSeconds(1)).until(() -> true); // and stays dead a while
            maxParked = Math.max(maxParked, unpublishedRows());
            broker.start();
        }
        // Callers go on after the last restart: keys with a backlog keep parking behind it until the relay caught up.
        await().pollDelay(UP).atMost(UP.plusSeconds(1)).until(() -> true);
        running.set(false);
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        callers.shutdown();
        long chaosSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - chaosStarted);
        long drainStarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                .until(() -> unpublishedRows() == 0);
        Duration drain = Duration.ofNanos(System.nanoTime() - drainStarted);

        int total = acked.values().stream().mapToInt(List::size).sum();
        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, total, Duration.ofSeconds(120));
        Map<String, List<Integer>> seen = new HashMap<>();
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String id = new String(r.headers().lastHeader("ce-id").value(), StandardCharsets.UTF_8);
            if (!ids.add(id)) {
                duplicates++;
                continue;
            }
            String tenant = new String(r.key(), StandardCharsets.UTF_8);
            String value = new String(r.value(), StandardCharsets.UTF_8);
            seen.computeIfAbsent(tenant, k -> new ArrayList<>())
                    .add(Integer.parseInt(value.replaceAll("[^0-9]", "")));
        }
        long viaOutbox = publishedThroughOutbox();
        long onTopic = 0;
        String figures = String.format("database=%s kills=%d callers=%d tenants=%d chaos=%ds attempts=%d acked=%d "
                + "failed=%s records=%d distinct=%d duplicates=%d viaOutbox=%d maxBacklog=%d maxEmitMs=%d drainMs=%d",
                name(), KILLS, CALLERS, TENANTS, chaosSeconds, attempts.get(), total, new TreeMap<>(failures),
                records.size(), ids.size(), duplicates, viaOutbox, maxParked,
                TimeUnit.NANOSECONDS.toMillis(longest.get()), drain.toMillis());
        System.out.println("CHAOS FIGURES " + figures);
        writeFigures(figures);

        for (Map.Entry<String, List<Integer>> e : acked.entrySet()) {
            Set<Integer> owed = new LinkedHashSet<>(e.getValue());
            List<Integer> onKafka = new ArrayList<>(seen.getOrDefault(e.getKey(), List.of()));
            onKafka.retainAll(owed);
            onTopic += onKafka.size();
            Set<Integer> missing = new LinkedHashSet<>(owed);
            missing.removeAll(onKafka);
            assertEquals(Set.of(), missing, e.getKey() + ": acknowledged events missing from Kafka; " + figures);
            for (int i = 1; i < onKafka.size(); i++) {
                int at = i;
                assertTrue(onKafka.get(i - 1) < onKafka.get(i), () -> e.getKey() + ": out of order at position " + at
                        + ": " + onKafka.subList(Math.max(0, at - 5), Math.min(onKafka.size(), at + 5)));
            }
        }
        assertTrue(failures.keySet().stream().noneMatch(k -> k.startsWith("UNTYPED")),
                "an emit threw something other than a StreamingException; " + figures);
        assertEquals(total, onTopic, "every acknowledged emit is on the topic exactly once after dedupe");
        assertTrue(viaOutbox > 0, "the outages were bridged by the outbox; " + figures);
        assertTrue(longest.get() <= DELIVERY_TIMEOUT.plusSeconds(1).toNanos(),
                "longest emit " + Duration.ofNanos(longest.get()) + " exceeds the delivery timeout + 1 s; " + figures);
    }

    private void writeFigures(String figures) throws IOException {
        Path file = Paths.get("target", "chaos", "figures-" + name() + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, figures + System.lineSeparator());
    }

    private long unpublishedRows() throws SQLException {
        return count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN ('PENDING', 'PROCESSING')");
    }

    private long publishedThroughOutbox() throws SQLException {
        return count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'PUBLISHED'");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
