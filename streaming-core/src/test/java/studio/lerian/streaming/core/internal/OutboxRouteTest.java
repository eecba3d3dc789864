package studio.lerian.streaming.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.outbox.BacklogFlag;
import studio.lerian.streaming.core.internal.outbox.OpenParks;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWrite;
import studio.lerian.streaming.spi.OutboxWriter;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The strict-ordering check: it never lets a store's own exception reach the caller, and it remembers a key with a
 * backlog for a while instead of asking the store on every emit, but never remembers a key without one.
 */
class OutboxRouteTest {

    private static final PreparedEmit EMIT = new PreparedEmit(Fixture.TRANSACTION_CREATED, DeliveryPolicy.defaults(),
            ResolvedEvent.builder().tenantId("t-abc").resourceType("transaction").eventType("created")
                    .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z")).payload("{}".getBytes(UTF_8)).build());

    @Test
    void aBacklogQueryThatFailsIsAnInfrastructureStreamingException() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        OutboxRoute route = route(new UnreachableStore(), flag);
        StreamingException e = assertThrows(StreamingException.class, () -> route.mustFollowBacklog(EMIT, far()));
        assertEquals(ErrorCode.OUTBOX_WRITE_FAILED, e.code());
        assertFalse(StreamingErrors.isCallerError(e), "the caller may retry");
    }

    @Test
    void withoutABacklogTheStoreIsNotAsked() {
        OutboxRoute route = route(new UnreachableStore(), new BacklogFlag());
        assertFalse(route.mustFollowBacklog(EMIT, far()));
    }

    @Test
    void aKeyThisInstanceJustParkedFollowsItsBacklogWithoutAskingTheStore() {
        AnsweringStore store = new AnsweringStore(false);
        OutboxRoute route = route(store, new BacklogFlag());
        route.park(EMIT, Map.of());

        assertTrue(route.mustFollowBacklog(EMIT, far()));
        assertTrue(route.mustFollowBacklog(EMIT, far()));
        assertEquals(0, store.asked.get());
    }

    @Test
    void onceTheMemoryEndsTheStoreIsAskedAgain() {
        AnsweringStore store = new AnsweringStore(false);
        OutboxRoute route = route(store, new BacklogFlag());
        route.park(EMIT, Map.of());
        clock.addAndGet(OutboxRoute.BACKLOG_MEMORY_NANOS);

        assertFalse(route.mustFollowBacklog(EMIT, far()),
                "the relay has drained the key: its next event goes directly");
        assertEquals(1, store.asked.get());
    }

    @Test
    void aYesFromTheStoreIsRememberedAndANoIsNot() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        AnsweringStore yes = new AnsweringStore(true);
        OutboxRoute remembers = route(yes, flag);
        assertTrue(remembers.mustFollowBacklog(EMIT, far()));
        assertTrue(remembers.mustFollowBacklog(EMIT, far()));
        assertEquals(1, yes.asked.get());

        AnsweringStore no = new AnsweringStore(false);
        OutboxRoute asks = route(no, flag);
        assertFalse(asks.mustFollowBacklog(EMIT, far()));
        assertFalse(asks.mustFollowBacklog(EMIT, far()));
        assertEquals(2, no.asked.get());
    }

    @Test
    void nothingIsRememberedOnceTheOutboxIsFoundEmpty() {
        BacklogFlag flag = new BacklogFlag();
        AnsweringStore store = new AnsweringStore(false);
        OutboxRoute route = route(store, flag);
        route.park(EMIT, Map.of());
        flag.probed(true, flag.raises()); // the backlog probe found none: the flag goes down

        assertFalse(route.mustFollowBacklog(EMIT, far()));
        flag.raise();
        assertFalse(route.mustFollowBacklog(EMIT, far()), "the earlier park is forgotten: the store is asked");
        assertEquals(1, store.asked.get());
    }

    @Test
    void aKeyParkedInACallersOpenTransactionFollowsItWithoutAskingTheStoreUntilTheTransactionEnds() {
        AnsweringStore store = new AnsweringStore(false); // the store's connection cannot see the uncommitted row
        AtomicBoolean ended = new AtomicBoolean();
        OutboxRoute route = new OutboxRoute(new JoiningWriter(ended::get), store, new BacklogFlag(), new OpenParks(),
                true, clock::get);
        route.park(EMIT, Map.of());
        clock.addAndGet(10 * OutboxRoute.BACKLOG_MEMORY_NANOS);

        assertTrue(route.mustFollowBacklog(EMIT, far()), "later in the same transaction: it follows the parked event");
        assertEquals(0, store.asked.get());

        ended.set(true); // committed: from now on the store sees the row
        assertFalse(route.mustFollowBacklog(EMIT, far()));
        assertEquals(1, store.asked.get());
    }

    @Test
    void theLookupIsGivenWhatIsLeftOfTheEmitsBudgetAsItsTimeLimit() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        AnsweringStore store = new AnsweringStore(false);
        long deadline = System.nanoTime() + 2_000_000_000L;
        assertFalse(route(store, flag).mustFollowBacklog(EMIT, deadline));
        Duration given = store.timeout.get();
        assertTrue(given.compareTo(Duration.ZERO) > 0 && given.compareTo(Duration.ofSeconds(2)) <= 0, given::toString);
    }

    @Test
    void aLookupTheStoreGaveUpOnIsATimeoutOfTheEmit() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        OutboxRoute route = route(new UnreachableStore(new java.util.concurrent.TimeoutException("query timeout")),
                flag);
        EmitException e = assertThrows(EmitException.class, () -> route.mustFollowBacklog(EMIT, far()));
        assertEquals(ErrorClass.NETWORK_TIMEOUT, e.errorClass());
        assertFalse(StreamingErrors.isCallerError(e), "the caller may retry");
    }

    @Test
    void anEmitWhoseBudgetIsSpentIsNotLookedUp() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        AnsweringStore store = new AnsweringStore(true);
        EmitException e = assertThrows(EmitException.class,
                () -> route(store, flag).mustFollowBacklog(EMIT, System.nanoTime()));
        assertEquals(ErrorClass.NETWORK_TIMEOUT, e.errorClass());
        assertEquals(0, store.asked.get());
    }

    /** A deadline the tests never reach. */
    private static long far() {
        return System.nanoTime() + java.util.concurrent.TimeUnit.HOURS.toNanos(1);
    }

    private final AtomicLong clock = new AtomicLong();

    private OutboxRoute route(OutboxStore store, BacklogFlag flag) {
        return new OutboxRoute(new DiscardingWriter(), store, flag, new OpenParks(), true, clock::get);
    }

    /** A store that answers {@link #hasUnpublished} with one fixed answer and counts the questions. */
    private static final class AnsweringStore implements OutboxStore {
        private final boolean answer;
        private final AtomicInteger asked = new AtomicInteger();
        private final AtomicReference<Duration> timeout = new AtomicReference<>();

        AnsweringStore(boolean answer) {
            this.answer = answer;
        }

        @Override
        public boolean hasUnpublished(String partitionKey) {
            asked.incrementAndGet();
            return answer;
        }

        @Override
        public boolean hasUnpublished(String partitionKey, Duration limit) {
            timeout.set(limit);
            return hasUnpublished(partitionKey);
        }

        @Override
        public OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished, String relayId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int reclaimStuck(Instant claimedBefore) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OutboxBacklog backlog() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int purgePublished(Instant publishedBefore) {
            throw new UnsupportedOperationException();
        }
    }

    /** A writer that joins the caller's transaction, whose end the given write reports. */
    private static final class JoiningWriter implements OutboxWriter {
        private final OutboxWrite write;

        JoiningWriter(OutboxWrite write) {
            this.write = write;
        }

        @Override
        public void write(OutboxEnvelope envelope) {
            writeTracked(envelope);
        }

        @Override
        public void writeAll(List<OutboxEnvelope> envelopes) {
            writeAllTracked(envelopes);
        }

        @Override
        public OutboxWrite writeTracked(OutboxEnvelope envelope) {
            return write;
        }

        @Override
        public OutboxWrite writeAllTracked(List<OutboxEnvelope> envelopes) {
            return write;
        }
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
        private final Throwable cause;

        UnreachableStore() {
            this(null);
        }

        /** @param cause the cause of every failure, as a store's own exception would carry it */
        UnreachableStore(Throwable cause) {
            this.cause = cause;
        }

        private IllegalStateException gone() {
            return new IllegalStateException("Unable to acquire JDBC Connection", cause);
        }

        @Override
        public OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished, String relayId) {
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
