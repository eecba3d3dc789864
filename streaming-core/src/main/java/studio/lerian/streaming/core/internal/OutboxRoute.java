package studio.lerian.streaming.core.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.outbox.BacklogFlag;
import studio.lerian.streaming.core.internal.telemetry.OutboxReason;
import studio.lerian.streaming.core.internal.outbox.OpenParks;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWrite;
import studio.lerian.streaming.spi.OutboxWriter;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The emit path's way into the outbox: parking an event, and the strict-ordering rule that sends an event to the
 * outbox while its partition key has unpublished rows there. Thread-safe.
 *
 * <p>A key known to have a backlog is remembered for {@link #BACKLOG_MEMORY_NANOS}: because this instance parked an
 * event of it, or the store said so. Within that time the key's events follow it into the outbox without asking the
 * store again, which spares a query (and a second database connection) on every emit while the circuit is open. Only a
 * "yes" is remembered: a remembered key whose backlog has meanwhile drained sends a few events through the outbox
 * that could have gone directly, which costs latency, never order; a "no" is always asked afresh.
 *
 * <p>A key parked here inside a caller's transaction that has not ended yet ({@link OpenParks}) follows without asking
 * for as long as that transaction lasts: the store's lookup runs on a connection of its own, which cannot see the
 * uncommitted row, so a later event of the key in the same transaction would otherwise be published ahead of it.
 */
final class OutboxRoute {

    /** How long a key known to have an outbox backlog is taken to still have one: {@value} ns (250 ms). */
    static final long BACKLOG_MEMORY_NANOS = 250_000_000L;

    private final OutboxWriter writer;
    private final OutboxStore store;
    private final BacklogFlag backlog;
    private final OpenParks openParks;
    private final boolean strictOrder;
    private final LongSupplier nanoClock;
    /** Partition keys known to have a backlog, with the {@link #nanoClock} time until which that is believed. */
    private final ConcurrentHashMap<String, Long> keysWithBacklog = new ConcurrentHashMap<>();

    /**
     * @param writer the outbox writer; {@code null} when no outbox module is deployed
     * @param store the outbox store; {@code null} when none
     * @param backlog the shared backlog flag
     * @param openParks where this instance's parks in callers' open transactions are kept, shared with the backlog
     *        probe
     * @param strictOrder whether {@code STREAMING_OUTBOX_ORDERING=strict}
     */
    OutboxRoute(OutboxWriter writer, OutboxStore store, BacklogFlag backlog, OpenParks openParks,
            boolean strictOrder) {
        this(writer, store, backlog, openParks, strictOrder, System::nanoTime);
    }

    /** As above, with the clock of the backlog memory (tests). */
    OutboxRoute(OutboxWriter writer, OutboxStore store, BacklogFlag backlog, OpenParks openParks,
            boolean strictOrder, LongSupplier nanoClock) {
        this.writer = writer;
        this.store = store;
        this.backlog = backlog;
        this.openParks = openParks;
        this.strictOrder = strictOrder;
        this.nanoClock = nanoClock;
    }

    /** @return whether an outbox is deployed */
    boolean wired() {
        return writer != null;
    }

    /**
     * Whether the event must follow its key's outbox backlog (strict ordering): costs one volatile read while no
     * backlog exists anywhere; while one may, map lookups for a key parked here in a caller's transaction still open
     * or remembered to have a backlog, else one indexed query, given what is left of the emit's budget as its time
     * limit.
     *
     * @param prepared the emit
     * @param deadline the emit's deadline, in {@link System#nanoTime()} units
     * @throws EmitException {@link ErrorClass#NETWORK_TIMEOUT} when the deadline passed before the query, or the
     *         store gave up on it at the time limit
     * @throws StreamingException {@link ErrorCode#OUTBOX_WRITE_FAILED} when the backlog cannot be read
     */
    boolean mustFollowBacklog(PreparedEmit prepared, long deadline) {
        if (!(strictOrder && writer != null && store != null && prepared.policy().outbox() != OutboxMode.NEVER)) {
            return false;
        }
        if (!backlog.isUp()) {
            if (!keysWithBacklog.isEmpty()) {
                keysWithBacklog.clear(); // the probe found the outbox empty: nothing remembered holds any more
            }
            return false;
        }
        String key = prepared.event().partitionKey();
        if (openParks.holds(key)) {
            // A row of the key parked here in a caller's transaction not ended yet: no other connection can see it,
            // so the store's answer could not be trusted, while it may still commit ahead of this event. In the same
            // transaction the event simply follows it.
            return true;
        }
        long now = nanoClock.getAsLong();
        Long until = keysWithBacklog.get(key);
        if (until != null) {
            if (until - now > 0) {
                return true;
            }
            keysWithBacklog.remove(key, until);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw notSent(prepared, "the delivery timeout passed before the outbox was asked whether the event's"
                    + " partition key has a backlog", null);
        }
        try {
            boolean has = store.hasUnpublished(key, Duration.ofNanos(left));
            if (has) {
                keysWithBacklog.putIfAbsent(key, now + BACKLOG_MEMORY_NANOS);
            }
            return has;
        } catch (RuntimeException e) {
            // Without the answer the event could overtake its key's parked events: refuse it, as an infrastructure
            // fault the caller may retry, rather than let the store's own exception type reach the caller. A lookup
            // the store gave up on used the emit's budget: a timeout, as if the broker had not answered in time.
            if (gaveUp(e)) {
                throw notSent(prepared, "the outbox did not say within the delivery timeout whether the event's"
                        + " partition key has a backlog", e);
            }
            throw new StreamingException(ErrorCode.OUTBOX_WRITE_FAILED,
                    "cannot read the outbox backlog of the event's partition key: " + Sanitizer.describe(e), e);
        }
    }

    /** Whether the store gave up on the lookup at its time limit: a {@link TimeoutException} among the causes. */
    private static boolean gaveUp(Throwable failure) {
        return Causes.of(failure).stream().anyMatch(TimeoutException.class::isInstance);
    }

    /**
     * The failure of an emit that was not sent because its delivery timeout passed before it could be: a
     * {@link ErrorClass#NETWORK_TIMEOUT}, which the caller may retry.
     *
     * @param prepared the emit
     * @param why what the time went on
     * @param cause the failure behind it, or {@code null}
     * @return the exception to throw
     */
    static EmitException notSent(PreparedEmit prepared, String why, Throwable cause) {
        ResolvedEvent event = prepared.event();
        return new NotSentEmitException(event, event.topic(), why, cause);
    }

    /**
     * Whether a request of a batch must go to the outbox to keep its key's order (strict ordering): because an
     * earlier request of the batch with its key goes there, or because its key has an outbox backlog. The store is
     * asked at most once per key and batch.
     *
     * @param prepared the request
     * @param parkedKeys the partition keys of the batch's earlier requests routed to the outbox
     * @param backlogByKey the store's answers so far in this batch, by partition key
     * @param deadline the batch's deadline, in {@link System#nanoTime()} units
     * @throws StreamingException as {@link #mustFollowBacklog}
     */
    boolean mustFollowInBatch(PreparedEmit prepared, java.util.Set<String> parkedKeys,
            java.util.Map<String, Boolean> backlogByKey, long deadline) {
        if (!(strictOrder && writer != null && prepared.policy().outbox() != OutboxMode.NEVER)) {
            return false;
        }
        String key = prepared.event().partitionKey();
        if (parkedKeys.contains(key)) {
            return true;
        }
        Boolean known = backlogByKey.get(key);
        if (known == null) {
            known = mustFollowBacklog(prepared, deadline);
            backlogByKey.put(key, known);
        }
        return known;
    }

    /**
     * Parks a batch's events in one outbox transaction (inside the caller's when there is one), in order: all or
     * none.
     *
     * @param prepared the events, in batch order
     * @param carriers their emit spans' trace contexts, in the same order
     * @throws StreamingException as {@link #park}, for all of them
     */
    void parkAll(java.util.List<PreparedEmit> prepared, java.util.List<java.util.Map<String, String>> carriers) {
        if (writer == null) {
            throw new StreamingException(ErrorCode.OUTBOX_NOT_CONFIGURED,
                    "add an outbox module (streaming-jpa-outbox) for \"" + prepared.get(0).definition().key() + "\"");
        }
        java.util.List<OutboxEnvelope> envelopes = new java.util.ArrayList<>(prepared.size());
        for (int i = 0; i < prepared.size(); i++) {
            PreparedEmit p = prepared.get(i);
            envelopes.add(OutboxEnvelope.of(p.definition().key(), p.policy(), p.event())
                    .withTraceCarrier(carriers.get(i))
                    .validate());
        }
        OutboxWrite write;
        try {
            write = writer.writeAllTracked(envelopes);
        } catch (StreamingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StreamingException(ErrorCode.OUTBOX_WRITE_FAILED, Sanitizer.describe(e), e);
        }
        parked(prepared.stream().map(p -> p.event().partitionKey()).distinct().toList(), write);
    }

    /**
     * Parks one emit's event and records it on the emit: its span says why it was routed; a failed write marks the
     * attempt so that the emit's outcome is {@code outbox_failed}.
     *
     * @param reason why the event goes to the outbox
     * @throws StreamingException as {@link #park(PreparedEmit, java.util.Map)}
     */
    void park(PreparedEmit prepared, EmitAttempt attempt, OutboxReason reason) {
        try {
            park(prepared, attempt.span().carrier());
        } catch (RuntimeException e) {
            attempt.outboxFailed();
            throw e;
        }
        attempt.span().routed(reason);
    }

    /**
     * Parks the event: inside the caller's transaction when there is one. The envelope carries the emit's trace
     * context, so that the relay's publish continues the emit's trace.
     *
     * @param carrier the emit span's W3C trace context; empty when tracing is off
     * @throws StreamingException {@link ErrorCode#OUTBOX_NOT_CONFIGURED} without an outbox; the writer's own
     *         exceptions; {@link ErrorCode#OUTBOX_WRITE_FAILED} for anything else it throws
     */
    void park(PreparedEmit prepared, java.util.Map<String, String> carrier) {
        if (writer == null) {
            throw new StreamingException(ErrorCode.OUTBOX_NOT_CONFIGURED,
                    "add an outbox module (streaming-jpa-outbox) for \"" + prepared.definition().key() + "\"");
        }
        OutboxEnvelope envelope = OutboxEnvelope.of(prepared.definition().key(), prepared.policy(), prepared.event())
                .withTraceCarrier(carrier)
                .validate();
        OutboxWrite write;
        try {
            write = writer.writeTracked(envelope);
        } catch (StreamingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StreamingException(ErrorCode.OUTBOX_WRITE_FAILED, Sanitizer.describe(e), e);
        }
        parked(java.util.List.of(prepared.event().partitionKey()), write);
    }

    /**
     * This instance has just parked rows of the keys. With strict ordering, a write whose caller's transaction is
     * still open is kept in the open parks before the flag is raised, so that the probe, which reads the raises before
     * the open parks, sees one or the other.
     */
    private void parked(java.util.List<String> keys, OutboxWrite write) {
        if (strictOrder && store != null) {
            openParks.add(keys, write);
        }
        backlog.raise();
        keys.forEach(this::remember);
    }

    /**
     * This instance has just parked an event of the key. A first sighting starts the memory; a later park does not
     * extend it, so that a key emitted steadily is asked about again once the memory ends, rather than being kept in
     * the outbox by its own parked events after the relay has caught up.
     */
    private void remember(String key) {
        if (strictOrder) {
            keysWithBacklog.putIfAbsent(key, nanoClock.getAsLong() + BACKLOG_MEMORY_NANOS);
        }
    }
}
