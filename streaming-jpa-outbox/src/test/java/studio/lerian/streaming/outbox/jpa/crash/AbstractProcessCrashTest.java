package studio.lerian.streaming.outbox.jpa.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * The application JVM dies the hard way ({@code kill -9}) with events in its outbox, and a new instance relays every
 * one of them: nothing committed is lost, and each tenant's events reach the topic in the order they were emitted.
 *
 * <p>The application ({@link CrashingApplication}) is a separate OS process running the library with the JPA outbox
 * and its relay; every event takes the outbox ({@code outbox=always}). Each cycle kills it twice:
 * <ol>
 *   <li>between the outbox commit and the relay's publish: the broker is down, the application has committed at
 *       least {@value #ACKS_PER_KILL} more events, and its relay holds a claimed batch that waits for the broker (rows
 *       locked by the relay's open transaction). Killed then, it leaves committed rows never relayed and a batch in
 *       flight; its transaction ends with its connection, so every one of those rows must be {@code PENDING} again at
 *       once, none left claimed;</li>
 *   <li>during a relay batch with the broker up: once its relay has published rows and holds a batch of its own, the
 *       next instance is killed while emitting and relaying; records of that batch may already be on the topic,
 *       unmarked.</li>
 * </ol>
 * A last instance then relays the rest (with the default lease of minutes: no row may need reclaiming). The test then
 * reads the topic and checks that
 * every acknowledged emit is there (deduplicated on {@code ce-id}), that every committed row is (acknowledged or not:
 * the process may die between the commit and its report), that each tenant's events are in emit order, and that no row
 * ended {@code FAILED} or {@code INVALID}. Progress is reported by the application on its standard output and by the
 * table itself; every wait polls for state.
 *
 * <p>Cycles: {@code crash.cycles}; without it the test is skipped ({@code -Dcrash.cycles=1} for one, 10 with
 * {@code -Pchaos-long}). Figures go to {@code target/crash/figures-<db>.txt}.
 */
abstract class AbstractProcessCrashTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final int TENANTS = 8;
    private static final int ACKS_PER_KILL = 100;
    private static final long SEQ_PER_PROCESS = 10_000_000L;
    private static final Duration STATE_WAIT = Duration.ofMinutes(5);

    private final int cycles = Integer.getInteger("crash.cycles", 0);
    private final Map<String, List<Long>> acked = ApplicationProcess.newAckLog();
    private TestDatabase db;
    private KafkaBroker broker;
    private Path dir;
    private int processes;

    abstract TestDatabase openDatabase();

    abstract String name();

    @BeforeEach
    void start() throws IOException {
        // Each cycle starts two application JVMs: too slow for every build, so it runs when asked for.
        Assumptions.assumeTrue(cycles > 0, "set crash.cycles (-Dcrash.cycles=1, or -Pchaos-long for 10)");
        db = openDatabase();
        db.applyShippedDdl();
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 4, Map.of());
        dir = Files.createDirectories(Paths.get("target", "crash"));
    }

    @AfterEach
    void stop() throws SQLException {
        if (broker != null) {
            broker.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aNewInstanceRelaysEveryRowOfAKilledOne() throws Exception {
        long pendingLeft = 0;
        long heldAtKillsWhileBrokerDown = 0;
        long heldAtKillsWhileRelaying = 0;
        List<String> perCycle = new ArrayList<>();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            broker.stop();
            ApplicationProcess app = launch("emit");
            long ackedBefore = totalAcked();
            await().atMost(STATE_WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                app.checkAlive();
                return totalAcked() - ackedBefore >= ACKS_PER_KILL && held() > 0;
            });
            trace("cycle " + cycle + " killing the application with the broker down");
            long inFlight = held(); // the broker is down: the batch cannot finish before the kill
            app.kill();
            assertReleasedByTheKill();
            long pending = db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'PENDING'");
            assertTrue(pending >= inFlight, "committed rows, the killed batch's among them, were left for the relay");
            pendingLeft += pending;
            heldAtKillsWhileBrokerDown += inFlight;

            broker.start();
            long publishedBefore = published();
            ApplicationProcess relaying = launch("emit");
            await().atMost(STATE_WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
                relaying.checkAlive();
                return published() > publishedBefore && held() > 0;
            });
            trace("cycle " + cycle + " killing the application while it relays");
            long cut = held(); // its batch may end just before the kill; the cycles together must hit one
            relaying.kill();
            assertReleasedByTheKill();
            heldAtKillsWhileRelaying += cut;
            perCycle.add(pending + "/" + inFlight + "/" + cut);
        }
        assertTrue(heldAtKillsWhileRelaying > 0, "no kill hit a relay batch with the broker up");

        trace("relaying the rest");
        long drainStarted = System.nanoTime();
        ApplicationProcess last = launch("relay");
        await().atMost(STATE_WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            last.checkAlive();
            return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN ('PENDING', 'PROCESSING')")
                    == 0;
        });
        double drainSeconds = (System.nanoTime() - drainStarted) / 1e9;
        trace("drained");
        last.stop();

        assertEquals(0, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN ('FAILED', 'INVALID')"),
                "no row given up or refused");
        long rows = db.count("SELECT COUNT(*) FROM lerian_streaming_outbox");
        // Read to the end: the topic holds duplicates, so a count of records does not say when all were read.
        List<ConsumerRecord<byte[], byte[]>> records = broker.consumeToEnd(TOPIC, Duration.ofSeconds(60));

        Map<String, List<Long>> firstSeen = new HashMap<>();
        Set<String> ids = new HashSet<>();
        long duplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String id = header(r, "ce-id");
            if (!ids.add(id)) {
                duplicates++;
                continue;
            }
            String tenant = new String(r.key(), StandardCharsets.UTF_8);
            firstSeen.computeIfAbsent(tenant, k -> new ArrayList<>()).add(Long.parseLong(id.substring(
                    id.indexOf('-') + 1)));
        }
        long ackedEmits = totalAcked();
        List<String> missing = new ArrayList<>();
        acked.forEach((tenant, seqs) -> seqs.stream().filter(s -> !ids.contains(tenant + "-" + s))
                .forEach(s -> missing.add(tenant + "-" + s)));
        assertEquals(List.of(), missing, "acknowledged emits missing from the topic");
        assertEquals(rows, ids.size(), "every committed row is on the topic once deduplicated");
        firstSeen.forEach((tenant, seqs) -> {
            for (int i = 1; i < seqs.size(); i++) {
                int at = i;
                assertTrue(seqs.get(i) > seqs.get(i - 1), () -> tenant + " out of order at " + seqs.get(at - 1)
                        + " then " + seqs.get(at));
            }
        });

        String figures = String.format(
                "CRASH FIGURES db=%s cycles=%d kills=%d acked_emits=%d committed_rows=%d on_topic_distinct=%d"
                        + " missing=0 duplicates=%d out_of_order=0 pending_left_at_kills=%d"
                        + " held_at_kills_broker_down=%d held_at_kills_relaying=%d drain_s=%.1f"
                        + " per_cycle(pending/held_down/held_relaying)=%s",
                name(), cycles, 2 * cycles, ackedEmits, rows, ids.size(), duplicates, pendingLeft,
                heldAtKillsWhileBrokerDown, heldAtKillsWhileRelaying, drainSeconds, perCycle);
        System.out.println(figures);
        Files.writeString(dir.resolve("figures-" + name() + ".txt"), figures + System.lineSeparator());
    }

    /** What the test is waiting for, on standard output (the surefire report), to tell a slow step from a stuck one. */
    private void trace(String step) throws SQLException {
        Map<String, Long> byStatus = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT status, COUNT(*) FROM lerian_streaming_outbox GROUP BY status")) {
            while (rs.next()) {
                byStatus.put(rs.getString(1), rs.getLong(2));
            }
        }
        System.out.printf("crash test %s: %s acked=%d rows=%s%n", name(), step, totalAcked(), byStatus);
    }

    private ApplicationProcess launch(String mode) throws SQLException {
        trace("starting an application (" + mode + ")");
        long firstSeq = ++processes * SEQ_PER_PROCESS;
        return ApplicationProcess.start(mode, db.url(), db.user(), broker.bootstrap(), TENANTS, firstSeq,
                dir.resolve("app-" + name() + "-" + processes + ".log"), acked);
    }

    private long totalAcked() {
        return acked.values().stream().mapToLong(List::size).sum();
    }

    private long published() throws SQLException {
        return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'PUBLISHED'");
    }

    /**
     * Pending rows locked by a relay's open batch: those a {@code FOR UPDATE SKIP LOCKED} of this connection cannot
     * take (both reads in one statement, one snapshot; the probe's own locks end with its statement's transaction).
     */
    private long held() throws SQLException {
        return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'PENDING' AND id NOT IN"
                + " (SELECT id FROM lerian_streaming_outbox WHERE status = 'PENDING' FOR UPDATE SKIP LOCKED)");
    }

    /**
     * After a kill: the dead relay's transaction ends with its connection, so its batch is free again, and no row is
     * left claimed for a lease to return.
     */
    private void assertReleasedByTheKill() throws SQLException {
        await().atMost(STATE_WAIT).pollInterval(Duration.ofMillis(20)).until(() -> held() == 0);
        assertEquals(0, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'PROCESSING'"),
                "a killed relay leaves no row claimed");
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
