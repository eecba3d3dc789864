package studio.lerian.streaming.outbox.jpa.chaos;

import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.core.internal.BreakerState;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * The application under chaos: the library in the test JVM (Weld SE, SmallRye Fault Tolerance and Config) with the
 * JPA outbox wired over a test database, a breaker opening after 4 requests and closing its circuit-open delay after
 * 2 s, and a relay polling every 100 ms.
 */
final class OutboxApp implements AutoCloseable {

    private final TestDatabase db;
    private final StreamingContainer container;

    private OutboxApp(TestDatabase db, StreamingContainer container) {
        this.db = db;
        this.container = container;
    }

    /**
     * Starts the application.
     *
     * @param db the database, its DDL applied
     * @param bootstrap the brokers the library is configured with
     * @param deliveryTimeout the delivery timeout (whole seconds)
     * @param callers how many threads will emit at once (the connection pool is sized for them and the relay)
     * @return the running application
     */
    static OutboxApp start(TestDatabase db, String bootstrap, Duration deliveryTimeout, int callers) {
        // One connection per caller thread plus the relay's: the shared test unit's pool of 8 is for smaller tests.
        ChaosApplication.unit = Persistence.createEntityManagerFactory("lerian-streaming-test", Map.of(
                "jakarta.persistence.jdbc.url", db.url(), "jakarta.persistence.jdbc.user", db.user(),
                "jakarta.persistence.jdbc.password", "", "hibernate.connection.pool_size",
                Integer.toString(callers + 8)));
        Map<String, String> config = Fixture.config(bootstrap);
        config.put("streaming.cb.min.requests", "4");
        config.put("streaming.cb.timeout.s", "2");
        config.put("streaming.record.delivery.timeout.s", Long.toString(deliveryTimeout.toSeconds()));
        config.put("streaming.outbox.poll.interval.ms", "100");
        try {
            return new OutboxApp(db, StreamingContainer.start(config, Fixture.Definitions.class,
                    ChaosApplication.class));
        } catch (RuntimeException e) {
            ChaosApplication.unit.close();
            throw e;
        }
    }

    Emitter emitter() {
        return container.emitter();
    }

    /** @return the breaker's state as the emit path last saw it */
    BreakerState.State circuit() {
        return ((KafkaEmitter) container.emitter()).circuitState();
    }

    /** @return outbox rows not yet published ({@code PENDING} or {@code PROCESSING}) */
    long unpublishedRows() throws SQLException {
        return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN ('PENDING', 'PROCESSING')");
    }

    /** @return outbox rows the relay published */
    long publishedThroughOutbox() throws SQLException {
        return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'PUBLISHED'");
    }

    /**
     * Prints a run's figures as a {@code CHAOS FIGURES} line and writes them to
     * {@code target/chaos/figures-<name>.txt}.
     */
    static void report(String name, String figures) {
        System.out.println("CHAOS FIGURES " + figures);
        write("figures-" + name, figures);
    }

    /**
     * Writes a text to {@code target/chaos/<name>.txt}.
     *
     * @return the file
     */
    static Path write(String name, String text) {
        Path file = Paths.get("target", "chaos", name + ".txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            container.close();
        } finally {
            ChaosApplication.unit.close();
        }
    }
}
