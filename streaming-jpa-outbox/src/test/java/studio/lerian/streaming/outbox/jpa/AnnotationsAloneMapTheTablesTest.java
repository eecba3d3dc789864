package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;

/**
 * A persistence unit that finds the outbox entities by their annotations and reads no mapping file (Quarkus's, which
 * indexes the outbox jar) writes, claims and publishes rows on the shipped tables: the annotations map every column
 * as the mapping file does (the status as its name, which the table's check constraint requires).
 */
class AnnotationsAloneMapTheTablesTest {

    @Test
    void aRowIsWrittenClaimedAndPublishedThroughTheAnnotationsAlone() throws Exception {
        TestDatabase db = new TestDatabase.H2();
        try {
            db.applyShippedDdl();
            EntityManagerFactory unit = Persistence.createEntityManagerFactory("lerian-streaming-annotations-test",
                    Map.of("jakarta.persistence.jdbc.url", db.url(), "jakarta.persistence.jdbc.user", db.user(),
                            "jakarta.persistence.jdbc.password", ""));
            try {
                new JpaOutboxWriter(unit).write(Envelopes.of("t-annotated"));
                assertEquals(1, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'PENDING'"));

                JpaOutboxStore store = new JpaOutboxStore(unit);
                try (OutboxBatch batch = store.claimBatch(10, true, true, "relay-1")) {
                    List<OutboxRow> rows = batch.rows();
                    assertEquals(List.of("t-annotated"), rows.stream().map(OutboxRow::partitionKey).toList());
                    batch.published(rows.get(0).id());
                    batch.commit();
                }
                assertEquals(1, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'PUBLISHED'"));
                assertEquals(true, store.backlog().isEmpty());
            } finally {
                unit.close();
            }
        } finally {
            db.close();
        }
    }
}
