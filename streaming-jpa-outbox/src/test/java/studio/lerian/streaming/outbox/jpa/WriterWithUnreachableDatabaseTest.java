package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;

/** The database goes down: the write fails as an infrastructure error, credentials masked; nothing is swallowed. */
class WriterWithUnreachableDatabaseTest {

    @Test
    void writeToADatabaseThatIsDownIsAnInfrastructureError() throws SQLException {
        Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        EntityManagerFactory emf = Persistence.createEntityManagerFactory(TestDatabase.UNIT, Map.of(
                "jakarta.persistence.jdbc.url", "jdbc:h2:tcp://localhost:" + server.getPort() + "/mem:down-"
                        + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "jakarta.persistence.jdbc.user", "sa",
                "jakarta.persistence.jdbc.password", "s3cret"));
        try {
            server.stop();
            JpaOutboxWriter writer = new JpaOutboxWriter(emf);
            StreamingException e = assertThrows(StreamingException.class, () -> writer.write(Envelopes.of("t-1")));
            assertEquals(ErrorCode.OUTBOX_WRITE_FAILED, e.code());
            assertFalse(StreamingErrors.isCallerError(e));
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());

            JpaOutboxStore store = new JpaOutboxStore(emf);
            assertThrows(PersistenceException.class, () -> store.claim(10, true, "relay-1"));
        } finally {
            emf.close();
            server.stop();
        }
    }
}
