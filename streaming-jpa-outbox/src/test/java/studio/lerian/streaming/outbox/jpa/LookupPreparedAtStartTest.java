package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The strict-ordering lookup ({@link JpaOutboxStore#hasUnpublished}) runs in every emit while the outbox holds a
 * backlog. Its query is parsed when the store is built (the relay builds it at start), not at the first lookup:
 * otherwise, when the first backlog appears, every caller thread parses it at once, and on a CPU-starved machine that
 * took the emits of the network-fault chaos test 10 to 20 s. Hibernate counts a query it finds already parsed as a
 * query-plan cache hit (and the SQL it then builds for the first execution as a miss).
 */
class LookupPreparedAtStartTest {

    @Test
    void theFirstLookupFindsItsQueryAlreadyParsed() throws SQLException {
        TestDatabase db = new TestDatabase.H2();
        db.applyShippedDdl();
        EntityManagerFactory emf = Persistence.createEntityManagerFactory("lerian-streaming-test", Map.of(
                "jakarta.persistence.jdbc.url", db.url(), "jakarta.persistence.jdbc.user", db.user(),
                "jakarta.persistence.jdbc.password", "", "hibernate.generate_statistics", "true"));
        try {
            JpaOutboxStore store = new JpaOutboxStore(emf, Clock.systemUTC());
            Statistics statistics = emf.unwrap(SessionFactory.class).getStatistics();
            long foundParsedBefore = statistics.getQueryPlanCacheHitCount();

            assertFalse(store.hasUnpublished("tenant-1"));

            assertEquals(foundParsedBefore + 1, statistics.getQueryPlanCacheHitCount(),
                    "the first lookup had to parse its query");
        } finally {
            emf.close();
            db.close();
        }
    }
}
