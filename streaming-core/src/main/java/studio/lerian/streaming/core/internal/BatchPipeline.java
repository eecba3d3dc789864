package studio.lerian.streaming.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import studio.lerian.streaming.BatchEmitException;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.Delivery;
import studio.lerian.streaming.core.internal.telemetry.OutboxReason;
import studio.lerian.streaming.core.internal.telemetry.Outcome;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.internal.Batches;

/**
 * {@link KafkaEmitter#emitAll}: the single emit's pipeline applied to a batch, in phases instead of one request at a
 * time.
 * <ol>
 *   <li>Prepare every request (no I/O); any rejection refuses the whole batch with {@link ErrorCode#INVALID_BATCH}.
 *       Then refuse a closed emitter.</li>
 *   <li>Route each request in batch order: the outbox when its policy says {@code outbox=always}, or (strict
 *       ordering) when its key has a backlog or an earlier request of the batch with its key goes there; else
 *       Kafka.</li>
 *   <li>Publish the Kafka part as one breaker-guarded call ({@link BatchPublish}); while the circuit is open, each of
 *       its requests goes to the outbox when its policy allows, else fails with {@link ErrorCode#CIRCUIT_OPEN}.</li>
 *   <li>Write the outbox part in one transaction, after the Kafka part is acknowledged, so that a key's direct events
 *       precede its parked ones.</li>
 * </ol>
 * Telemetry as for single emits, per request: a request refused in phase 1 is counted without a span; every other
 * request has its own {@code streaming.emit} span (its record or envelope carries that span's context), ended with
 * its own outcome, which also records its counter and duration. The spans are siblings under the caller's current
 * span; none is made current. Thread-safe (each call keeps its state on its stack).
 */
final class BatchPipeline {

    private final EmitPreparer preparer;
    private final BreakerGate gate;
    private final RecordSender publisher;
    private final OutboxRoute outbox;
    private final Telemetry telemetry;
    private final BooleanSupplier closed;

    BatchPipeline(EmitPreparer preparer, BreakerGate gate, RecordSender publisher,
            OutboxRoute outbox, Telemetry telemetry, BooleanSupplier closed) {
        this.preparer = preparer;
        this.gate = gate;
        this.publisher = publisher;
        this.outbox = outbox;
        this.telemetry = telemetry;
        this.closed = closed;
    }

    void emitAll(Collection<EmitRequest> requests) {
        List<EmitRequest> batch = Batches.copyOf(requests);
        if (batch.isEmpty()) {
            return;
        }
        PreparedEmit[] prepared = prepareAll(batch);
        int n = prepared.length;
        if (closed.getAsBoolean()) {
            for (PreparedEmit p : prepared) {
                telemetry.emitted(p.event().topic(), Outcome.CALLER_ERROR);
            }
            throw new StreamingException(ErrorCode.EMITTER_CLOSED);
        }
        EmitAttempt[] attempts = new EmitAttempt[n];
        Outcome[] outcomes = new Outcome[n];
        StreamingException[] failures = new StreamingException[n];
        Throwable unexpected = null;
        try {
            long deadline = publisher.deadlineFromNow();
            for (int i = 0; i < n; i++) {
                PreparedEmit p = prepared[i];
                attempts[i] = new EmitAttempt(telemetry.startEmitInBatch(p.definition().key(), p.event(),
                        p.policy()), deadline);
            }
            deliver(prepared, attempts, outcomes, failures);
        } catch (RuntimeException | Error e) {
            unexpected = e;
            throw e;
        } finally {
            endSpans(attempts, outcomes, failures, unexpected);
        }
        List<BatchEmitException.Failure> failed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (failures[i] != null) {
                failed.add(new BatchEmitException.Failure(i, prepared[i].definition().key(),
                        prepared[i].event().eventId(), failures[i]));
            }
        }
        if (!failed.isEmpty()) {
            throw new BatchEmitException(ErrorCode.BATCH_EMIT_FAILED, n, failed);
        }
    }

    /** Phase 1: every request prepared, or the batch refused with each rejected request named. */
    private PreparedEmit[] prepareAll(List<EmitRequest> batch) {
        PreparedEmit[] prepared = new PreparedEmit[batch.size()];
        List<BatchEmitException.Failure> invalid = null;
        for (int i = 0; i < prepared.length; i++) {
            EmitRequest r = batch.get(i);
            try {
                prepared[i] = preparer.prepare(r);
            } catch (StreamingException rejected) {
                if (invalid == null) {
                    invalid = new ArrayList<>();
                }
                invalid.add(new BatchEmitException.Failure(i, r.definitionKey(), r.eventId(), rejected));
            }
        }
        if (invalid != null) {
            // Every request of a refused batch is an emit that ended as the caller's error, the valid ones included.
            for (EmitRequest r : batch) {
                telemetry.emitted(preparer.topicOf(r), Outcome.CALLER_ERROR);
            }
            throw new BatchEmitException(ErrorCode.INVALID_BATCH, batch.size(), invalid);
        }
        return prepared;
    }

    /** Phases 2 to 4; fills in each request's outcome or failure. */
    private void deliver(PreparedEmit[] prepared, EmitAttempt[] attempts, Outcome[] outcomes,
            StreamingException[] failures) {
        OutboxReason[] parkedFor = route(prepared, failures, attempts[0].deadline());
        List<Integer> direct = new ArrayList<>();
        for (int i = 0; i < prepared.length; i++) {
            if (parkedFor[i] == null && failures[i] == null) {
                direct.add(i);
            }
        }
        if (!direct.isEmpty()) {
            publishDirect(direct, prepared, attempts, outcomes, failures, parkedFor);
        }
        List<Integer> parked = new ArrayList<>();
        for (int i = 0; i < prepared.length; i++) {
            if (parkedFor[i] != null && failures[i] == null) {
                parked.add(i);
            }
        }
        if (!parked.isEmpty()) {
            park(parked, prepared, attempts, outcomes, failures, parkedFor);
        }
    }

    /**
     * Phase 2: why each request goes to the outbox, {@code null} for Kafka. A key whose backlog cannot be read fails
     * all its requests that would have asked, so that none overtakes the key's parked events. The batch's lookups
     * share its one budget: once one ran out of time, the budget is spent, and the requests that would still have to
     * ask fail as timeouts without asking (what little is left is less than a database can bound a query to).
     */
    private OutboxReason[] route(PreparedEmit[] prepared, StreamingException[] failures, long batchDeadline) {
        long deadline = batchDeadline;
        OutboxReason[] parkedFor = new OutboxReason[prepared.length];
        Set<String> parkedKeys = new HashSet<>();
        Map<String, Boolean> backlogByKey = new HashMap<>();
        Map<String, StreamingException> unreadable = new HashMap<>();
        for (int i = 0; i < prepared.length; i++) {
            PreparedEmit p = prepared[i];
            String key = p.event().partitionKey();
            if (p.policy().outboxAlways()) {
                parkedFor[i] = OutboxReason.POLICY_ALWAYS;
            } else {
                StreamingException known = unreadable.get(key);
                if (known != null && !parkedKeys.contains(key)) {
                    failures[i] = known;
                    continue;
                }
                try {
                    if (outbox.mustFollowInBatch(p, parkedKeys, backlogByKey, deadline)) {
                        parkedFor[i] = OutboxReason.BACKLOG;
                    }
                } catch (StreamingException e) {
                    if (e instanceof EmitException timedOut && timedOut.errorClass() == ErrorClass.NETWORK_TIMEOUT) {
                        deadline = System.nanoTime();
                    }
                    unreadable.put(key, e);
                    failures[i] = e;
                    continue;
                }
            }
            if (parkedFor[i] != null) {
                parkedKeys.add(key);
            }
        }
        return parkedFor;
    }

    /** Phase 3: the Kafka part through the breaker, as one call. */
    private void publishDirect(List<Integer> direct, PreparedEmit[] prepared, EmitAttempt[] attempts,
            Outcome[] outcomes, StreamingException[] failures, OutboxReason[] parkedFor) {
        if (!publisher.canHandOver(attempts[direct.get(0)].deadline())) {
            // The strict-ordering lookups used up the time to hand records over: as for a single emit, nothing is
            // sent, nothing is copied to the DLQ, and the breaker, which judges the broker, is not asked.
            for (int i : direct) {
                failures[i] = new NotSentEmitException(prepared[i].event(), prepared[i].event().topic(),
                        "the batch's delivery deadline was too close to hand records to the client, after the outbox"
                                + " was asked whether the events' partition keys have a backlog");
            }
            return;
        }
        List<PreparedEmit> items = new ArrayList<>(direct.size());
        List<EmitAttempt> itemAttempts = new ArrayList<>(direct.size());
        for (int i : direct) {
            items.add(prepared[i]);
            itemAttempts.add(attempts[i]);
        }
        BatchPublish call = new BatchPublish(publisher, items, itemAttempts);
        Delivery delivery = null;
        try {
            delivery = gate.through(call);
        } catch (BatchPublish.Failed counted) {
            // The breaker counted the batch as failed; the per-request failures are in the call.
        }
        if (delivery == Delivery.REFUSED) {
            for (int i : direct) {
                if (prepared[i].policy().outboxFallbackOnCircuitOpen() && outbox.wired()) {
                    parkedFor[i] = OutboxReason.CIRCUIT_OPEN;
                } else {
                    failures[i] = new StreamingException(ErrorCode.CIRCUIT_OPEN);
                }
            }
            return;
        }
        StreamingException[] results = call.failures();
        for (int j = 0; j < direct.size(); j++) {
            int i = direct.get(j);
            if (results[j] == null) {
                outcomes[i] = Outcome.PRODUCED;
            } else {
                failures[i] = results[j];
            }
        }
    }

    /** Phase 4: the outbox part, in one transaction; its failure is every parked request's failure. */
    private void park(List<Integer> parked, PreparedEmit[] prepared, EmitAttempt[] attempts, Outcome[] outcomes,
            StreamingException[] failures, OutboxReason[] parkedFor) {
        List<PreparedEmit> events = new ArrayList<>(parked.size());
        List<Map<String, String>> carriers = new ArrayList<>(parked.size());
        for (int i : parked) {
            events.add(prepared[i]);
            carriers.add(attempts[i].span().carrier());
        }
        try {
            outbox.parkAll(events, carriers);
        } catch (StreamingException e) {
            for (int i : parked) {
                attempts[i].outboxFailed();
                failures[i] = e;
            }
            return;
        }
        for (int i : parked) {
            attempts[i].span().routed(parkedFor[i]);
            outcomes[i] = Outcome.OUTBOXED;
        }
    }

    /** Ends every started span once, with its request's outcome. */
    private static void endSpans(EmitAttempt[] attempts, Outcome[] outcomes, StreamingException[] failures,
            Throwable unexpected) {
        for (int i = 0; i < attempts.length; i++) {
            EmitAttempt attempt = attempts[i];
            if (attempt == null) {
                continue;
            }
            Throwable failure = failures[i] != null ? failures[i] : outcomes[i] == null ? unexpected : null;
            Outcome outcome = failure == null ? outcomes[i] : KafkaEmitter.outcomeOf(failure, attempt);
            if (outcome == null) {
                outcome = Outcome.FAILED;
            }
            attempt.span().end(outcome, failure instanceof EmitException publish ? publish.errorClass() : null,
                    failure);
        }
    }
}
