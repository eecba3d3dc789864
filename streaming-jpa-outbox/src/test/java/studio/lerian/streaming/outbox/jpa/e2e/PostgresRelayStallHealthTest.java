package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.Persistence;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.internal.outbox.OutboxRelay;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * A relay that completes no poll for longer than its stall limit (here: its database is cut off, so every poll fails)
 * makes the emitter's health, and so the readiness check, degraded with cause {@code OUTBOX_RELAY_STALLED}, though the
 * broker answers; once the database is back and a poll completes, health is healthy again.
 */
class PostgresRelayStallHealthTest {

    private static final String UNIT = "lerian-streaming-test";

    private ProxiedPostgres database;
    private KafkaBroker broker;
    private StreamingContainer app;

    @BeforeEach
    void start() throws SQLException, IOException {
        database = ProxiedPostgres.open();
        TestDatabase.Postgres db = database.db();
        OutboxApplication.unit = Persistence.createEntityManagerFactory(UNIT, Map.of(
                "jakarta.persistence.jdbc.url", database.url(),
                "jakarta.persistence.jdbc.user", db.user(),
                "jakarta.persistence.jdbc.password", ""));
        broker = new KafkaBroker().start();
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.record.delivery.timeout.s", "1");
        config.put("streaming.outbox.batch.timeout.s", "3"); // a stall limit of 2 x 3 s + the poll interval
        config.put("streaming.outbox.poll.interval.ms", "100");
        app = StreamingContainer.start(config, Fixture.Definitions.class, OutboxApplication.class);
    }

    @AfterEach
    void stop() throws SQLException {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (OutboxApplication.unit != null) {
            OutboxApplication.unit.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aRelayThatCompletesNoPollIsShownStalledUntilItPollsAgain() {
        Emitter emitter = app.emitter();
        OutboxRelay relay = ((KafkaEmitter) emitter).relay().orElseThrow();
        await("healthy").atMost(Duration.ofSeconds(20)).until(() -> emitter.health().isHealthy());

        database.cut();
        await("stalled").atMost(relay.stallLimit().plusSeconds(20)).until(
                () -> emitter.health().state() == HealthState.DEGRADED);
        Health stalled = emitter.health();
        StreamingException cause = (StreamingException) stalled.cause().orElseThrow();
        assertEquals(ErrorCode.OUTBOX_RELAY_STALLED, cause.code());
        assertTrue(relay.sinceLastPoll().compareTo(relay.stallLimit()) > 0, relay.sinceLastPoll()::toString);
        assertTrue(stalled.message().contains("outbox relay stalled"), stalled::message);

        database.restore();
        await("healthy again").atMost(Duration.ofSeconds(30)).until(() -> emitter.health().isHealthy());
    }
}
