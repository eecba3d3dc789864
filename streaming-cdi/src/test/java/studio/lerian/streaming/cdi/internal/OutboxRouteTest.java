package studio.lerian.streaming.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.cdi.internal.outbox.BacklogFlag;
import studio.lerian.streaming.cdi.support.Fixture;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/** The strict-ordering check never lets a store's own exception reach the caller. */
class OutboxRouteTest {

    private static final PreparedEmit EMIT = new PreparedEmit(Fixture.TRANSACTION_CREATED, DeliveryPolicy.defaults(),
            ResolvedEvent.builder().tenantId("t-abc").resourceType("transaction").eventType("created")
                    .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z")).payload("{}".getBytes()).build());

    @Test
    void aBacklogQueryThatFailsIsAnInfrastructureStreamingException() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        OutboxRoute route = new OutboxRoute(new DiscardingWriter(), new UnreachableStore(), flag, true);
        StreamingException e = assertThrows(StreamingException.class, () -> route.mustFollowBacklog(EMIT));
        assertEquals(ErrorCode.OUTBOX_WRITE_FAILED, e.code());
        assertFalse(StreamingErrors.isCallerError(e), "the caller may retry");
    }

    @Test
    void withoutABacklogTheStoreIsNotAsked() {
        OutboxRoute route = new OutboxRoute(new DiscardingWriter(), new UnreachableStore(), new BacklogFlag(), true);
        assertFalse(route.mustFollowBacklog(EMIT));
    }

    /** A writer that accepts and forgets. */
    private static final class DiscardingWriter implements OutboxWriter {
        @Override
        public void write(OutboxEnvelope envelope) {
            // forgotten
        }

        @Override
        public void writeAll(List<OutboxEnvelope> envelopes) {
            // forgotten
        }
    }

    /** A store whose database is gone: every question fails as the JPA provider's exception would. */
    private static final class UnreachableStore implements OutboxStore {
        private static IllegalStateException gone() {
            return new IllegalStateException("Unable to acquire JDBC Connection");
        }

        @Override
        public List<OutboxRow> claim(int maxRows, boolean strictOrder, String relayId) {
            throw gone();
        }

        @Override
        public void markPublished(Collection<String> ids) {
            throw gone();
        }

        @Override
        public void release(Collection<String> ids) {
            throw gone();
        }

        @Override
        public void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError) {
            throw gone();
        }

        @Override
        public void markFailed(String id, int attempts, String lastError) {
            throw gone();
        }

        @Override
        public void markInvalid(String id, String lastError) {
            throw gone();
        }

        @Override
        public int reclaimStuck(Instant claimedBefore) {
            throw gone();
        }

        @Override
        public OutboxBacklog backlog() {
            throw gone();
        }

        @Override
        public boolean hasUnpublished(String partitionKey) {
            throw gone();
        }

        @Override
        public int purgePublished(Instant publishedBefore) {
            throw gone();
        }
    }
}
