package studio.lerian.streaming.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.telemetry.SpanHandle;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.kafka.RecordFramer;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Sends framed events with the Kafka client, within deadlines: an emit's record (waiting for its acknowledgement),
 * a batch's records (handed over in order, then awaited under one deadline), and the outbox relay's records (not
 * awaited, see {@link #sendAsync}). It bounds the records in flight with permits and keeps every wait within the
 * caller's deadline; on a failure it classifies the cause, has the {@link DeadLetterWriter} copy the record when the
 * policy and the class allow, and throws (or returns) an {@link EmitException}. No breaker here:
 * {@link BreakerGate} guards this for emits. Thread-safe.
 */
public final class RecordSender implements AutoCloseable {

    /** Added to the delivery timeout so that the client's own timeout normally fires first. */
    static final Duration DEADLINE_MARGIN = Duration.ofMillis(250);

    private final Producer<byte[], byte[]> producer;
    private final RecordFramer framer;
    private final String producerId;
    private final Duration deliveryTimeout;
    private final Semaphore inFlight;
    private final Duration closeTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final DeadLetterWriter deadLetters;

    RecordSender(Producer<byte[], byte[]> producer, RecordFramer framer, String producerId,
            Duration deliveryTimeout, int maxInFlight, Duration closeTimeout, Telemetry telemetry) {
        this.producer = producer;
        this.framer = framer;
        this.producerId = producerId;
        this.deliveryTimeout = deliveryTimeout;
        this.inFlight = new Semaphore(maxInFlight);
        this.closeTimeout = closeTimeout;
        this.deadLetters = new DeadLetterWriter(producer, producerId, telemetry);
    }

    /**
     * The deadline of an emit starting now: the delivery timeout plus {@link #DEADLINE_MARGIN}.
     *
     * @return the deadline, in {@link System#nanoTime()} units
     */
    long deadlineFromNow() {
        return System.nanoTime() + deliveryTimeout.toNanos() + DEADLINE_MARGIN.toNanos();
    }

    /** @return this instance's id, carried in {@code x-lerian-dlq-producer-id} */
    public String producerId() {
        return producerId;
    }

    /**
     * The longest from the start of a send to the record's outcome: {@code send()} may block for
     * {@code max.block.ms} (half the delivery timeout, see {@code ProducerSettings}) on metadata or a full buffer, and
     * the client settles a record it accepted within {@code delivery.timeout.ms}.
     *
     * @return the bound
     */
    public Duration sendBound() {
        return deliveryTimeout.plusNanos(maxBlockNanos());
    }

    /** How long {@code send()} itself may block: {@code max.block.ms}, half the delivery timeout (ProducerSettings). */
    private long maxBlockNanos() {
        return deliveryTimeout.toNanos() / 2;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Publishes an emit's event to its topic and waits for the acknowledgement, within the emit's deadline: the
     * record carries the emit span's trace context, and the attempt learns whether a dead-letter copy was
     * acknowledged.
     *
     * @param event the event
     * @param policy its delivery policy (decides the DLQ copy)
     * @param attempt the emit
     * @throws EmitException on a failed publish ({@link CallerFaultEmitException} for caller classes)
     * @throws StreamingException {@link ErrorCode#EMITTER_CLOSED} after {@link #close()}
     */
    void publish(ResolvedEvent event, DeliveryPolicy policy, EmitAttempt attempt) {
        if (closed.get()) {
            throw new StreamingException(ErrorCode.EMITTER_CLOSED);
        }
        String topic = event.topic();
        ProducerRecord<byte[], byte[]> record = framer.frame(event, topic);
        attempt.span().inject(record.headers());
        Instant started = Instant.now();
        long deadline = attempt.deadline();
        boolean slot;
        try {
            slot = acquireSlot(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmitException(ErrorClass.CONTEXT_CANCELED, topic, event.resourceType(), event.eventType(),
                    event.tenantId(), e);
        }
        if (!slot) {
            // Never handed to the client: no dead-letter copy of a record the broker did not refuse.
            throw new NotSentEmitException(event, topic,
                    "the in-flight record limit was reached and no slot freed before the delivery timeout");
        }
        try {
            send(record, deadline);
        } catch (Exception failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = unwrap(failure);
            ErrorClass errorClass = ErrorClassifier.classify(cause);
            if (policy.dlqAllowed() && errorClass.isDlqRoutable() && !closed.get()
                    && deadLetters.write(record, event, errorClass, cause, started, deadline)) {
                attempt.deadLettered();
            }
            throw errorClass.isCallerError()
                    ? new CallerFaultEmitException(errorClass, topic, event.resourceType(), event.eventType(),
                            event.tenantId(), cause)
                    : new EmitException(errorClass, topic, event.resourceType(), event.eventType(), event.tenantId(),
                            cause);
        }
    }

    /**
     * Frames an event in this publisher's record format, for the outbox relay, which frames a row before it sends it
     * so that a row the format cannot carry is refused as that row's own fault, never failing the batch around it.
     *
     * @param event the event
     * @param topic the destination topic
     * @return the record
     * @throws StreamingException when the event cannot be framed in the configured format (for example a source or
     *         data schema that is not a URI under a CloudEvents Kafka binding format)
     */
    public ProducerRecord<byte[], byte[]> frame(ResolvedEvent event, String topic) {
        try {
            return framer.frame(event, topic);
        } catch (StreamingException e) {
            throw e;
        } catch (RuntimeException e) {
            // The CloudEvents serializer's own failures: this event cannot be written in this format, whatever retries.
            throw new StreamingException(ErrorCode.INVALID_OUTBOX_ENVELOPE, "the event cannot be framed as "
                    + framer.format().wire() + ": " + Sanitizer.describe(e), e);
        }
    }

    /**
     * Sends a framed record without waiting: for the outbox relay, which bounds its own batches. No in-flight limit,
     * no DLQ copy (the relay decides, see {@link #copyToDlq}).
     *
     * @param record the record, from {@link #frame}
     * @param trace the span whose trace context the record carries
     * @return completes when the broker acknowledged the record, or exceptionally with the client's failure;
     *         with {@link ErrorCode#EMITTER_CLOSED} when the record was refused or abandoned because this publisher
     *         is closing
     */
    public CompletableFuture<Void> sendAsync(ProducerRecord<byte[], byte[]> record, SpanHandle trace) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed.get()) {
            done.completeExceptionally(new StreamingException(ErrorCode.EMITTER_CLOSED));
            return done;
        }
        try {
            trace.inject(record.headers());
            // The callback receives the outcome, failure included; the future returned repeats it.
            Future<RecordMetadata> unused = producer.send(record, (metadata, error) -> {
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(closingOr(error));
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(closingOr(e));
        }
        return done;
    }

    /**
     * A send that fails once {@link #close()} has begun failed because of the close: a relay poll still running after
     * the relay's close wait sends on a producer that is closed, or has its records abandoned when the close timeout
     * ends. That is not the record's failure, and must not count as one of its row's attempts. {@code closed} is set
     * before the producer closes, so every failure the close causes sees it.
     */
    private Throwable closingOr(Throwable error) {
        return closed.get() ? new StreamingException(ErrorCode.EMITTER_CLOSED, "the record was refused or abandoned"
                + " because the emitter is closing", error) : error;
    }

    /** Sends whatever the producer holds now, without waiting for its linger; returns once it is acknowledged. */
    public void flush() {
        if (!closed.get()) {
            producer.flush();
        }
    }

    /**
     * Copies a record that could not be published to its topic's dead-letter topic, waiting at most until the
     * deadline (the relay's batch budget); a copy still in flight then completes in the background, counted and, if it
     * fails, logged when it does. For the relay, when a row's attempts are exhausted. Never throws: a copy that fails,
     * for whatever reason, is counted ({@code streaming_dlq_publish_failed_total}) and logged, and the caller goes on
     * to record the row's outcome.
     *
     * @param record the record as it was sent, from {@link #frame}
     * @param event its event (for the log line)
     * @param errorClass why it failed
     * @param cause the last failure
     * @param firstFailureAt when the failing attempt started
     * @param deadline the longest wait, in {@link System#nanoTime()} units
     */
    public void copyToDlq(ProducerRecord<byte[], byte[]> record, ResolvedEvent event, ErrorClass errorClass,
            Throwable cause, Instant firstFailureAt, long deadline) {
        if (!closed.get()) {
            deadLetters.write(record, event, errorClass, cause, firstFailureAt, deadline);
        }
    }

    /**
     * Waits for an in-flight permit, bounded by the deadline, which may be partly spent already (by the emit's
     * strict-ordering lookup in the outbox). {@code send()} itself may block up to max.block.ms (half the delivery
     * timeout, see ProducerSettings), so the wait gets at most what is left beyond that half: together they stay
     * within the deadline.
     *
     * @return whether the permit was acquired; {@link #send} releases it
     * @throws InterruptedException when the thread was interrupted while waiting
     */
    private boolean acquireSlot(long deadline) throws InterruptedException {
        long maxBlock = maxBlockNanos();
        long permitWait = Math.max(0, Math.min(remainingNanos(deadline) - maxBlock, maxBlock));
        return inFlight.tryAcquire(permitWait, TimeUnit.NANOSECONDS);
    }

    /** Sends with the permit {@link #acquireSlot} took and waits for the acknowledgement within the deadline. */
    private RecordMetadata send(ProducerRecord<byte[], byte[]> record, long deadline) throws Exception {
        try {
            Future<RecordMetadata> ack = producer.send(record);
            return ack.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
        } finally {
            inFlight.release();
        }
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static Throwable unwrap(Throwable t) {
        return DeadLetterWriter.unwrap(t);
    }

    /**
     * Publishes a batch's events: hands each record to the client in order without waiting, then waits for every
     * acknowledgement, within one deadline for the whole batch: the attempts' deadline, set when {@code emitAll}
     * started (the delivery timeout plus {@link #DEADLINE_MARGIN}), so that the batch's strict-ordering lookups and its
     * publish share one budget.
     * The client keeps a partition's records in the order they were handed over (with idempotence, also across its
     * retries). A record is handed over only while half the delivery timeout is left (what {@code send()} may block on
     * metadata or a full buffer), so the batch stays within its deadline; records not handed over by then fail as
     * {@link NotSentEmitException} (no dead-letter copy: the broker never saw them), and records not acknowledged by
     * the deadline as timeouts. Each other failure is handled as {@link #publish} handles one: classified, and copied
     * to the dead-letter topic when the policy and the class allow.
     *
     * @param items the events with their policies, in order
     * @param attempts their emits, in the same order: the records carry their spans' trace context
     * @return per item, {@code null} when acknowledged, else its {@link EmitException} ({@link CallerFaultEmitException}
     *         for caller classes), or {@link ErrorCode#EMITTER_CLOSED} after {@link #close()}
     */
    StreamingException[] publishAll(java.util.List<PreparedEmit> items, java.util.List<EmitAttempt> attempts) {
        int n = items.size();
        StreamingException[] failures = new StreamingException[n];
        if (closed.get()) {
            java.util.Arrays.fill(failures, new StreamingException(ErrorCode.EMITTER_CLOSED));
            return failures;
        }
        Instant started = Instant.now();
        // The batch's one budget started with emitAll (every attempt carries the same deadline): the strict-ordering
        // lookups before the publish have spent part of it already.
        long deadline = n == 0 ? deadlineFromNow() : attempts.get(0).deadline();
        long handOverBy = handOverBy(deadline);
        java.util.List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>(n);
        java.util.List<CompletableFuture<RecordMetadata>> acks = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ResolvedEvent event = items.get(i).event();
            ProducerRecord<byte[], byte[]> record = framer.frame(event, event.topic());
            attempts.get(i).span().inject(record.headers());
            records.add(record);
            acks.add(handOver(record, handOverBy));
        }
        for (int i = 0; i < n; i++) {
            CompletableFuture<RecordMetadata> ack = acks.get(i);
            if (ack == null) {
                ResolvedEvent event = items.get(i).event();
                failures[i] = new NotSentEmitException(event, event.topic(), "the in-flight record limit was reached,"
                        + " or the batch's delivery deadline was too close to wait for send()");
                continue;
            }
            Throwable failure = awaitAck(ack, deadline);
            if (failure != null) {
                PreparedEmit item = items.get(i);
                failures[i] = batchFailure(item.event(), item.policy(), attempts.get(i), records.get(i), failure,
                        started, deadline);
            }
        }
        return failures;
    }

    /**
     * Hands one record of a batch to the client; the in-flight permit is released when its fate is known.
     *
     * @return the acknowledgement, or {@code null} when the record was not handed over (no permit before
     *         {@code handOverBy})
     */
    private CompletableFuture<RecordMetadata> handOver(ProducerRecord<byte[], byte[]> record, long handOverBy) {
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        try {
            long wait = handOverBy - System.nanoTime();
            if (wait <= 0 || !inFlight.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ack.completeExceptionally(e);
            return ack;
        }
        try {
            // The callback receives the outcome, failure included; the future returned repeats it.
            Future<RecordMetadata> unused = producer.send(record, (metadata, error) -> {
                // Whoever completes the future first releases the permit: the callback, or the catch below when
                // send() throws without calling it.
                if (error == null ? ack.complete(metadata) : ack.completeExceptionally(error)) {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            if (ack.completeExceptionally(e)) {
                inFlight.release();
            }
        }
        return ack;
    }

    /**
     * The last moment a batch may hand a record to the client: {@code send()} may then still block for up to
     * max.block.ms (half the delivery timeout) within the batch's deadline.
     */
    private long handOverBy(long deadline) {
        return deadline - maxBlockNanos();
    }

    /**
     * @param deadline a batch's deadline, in {@link System#nanoTime()} units
     * @return whether {@link #publishAll} could still hand a record to the client
     */
    boolean canHandOver(long deadline) {
        return handOverBy(deadline) - System.nanoTime() > 0;
    }

    /** Waits for one acknowledgement until the deadline; an interrupted thread still collects what is done. */
    private static Throwable awaitAck(CompletableFuture<RecordMetadata> ack, long deadline) {
        try {
            if (!ack.isDone() && Thread.currentThread().isInterrupted()) {
                return new InterruptedException("interrupted while waiting for the batch's acknowledgements");
            }
            ack.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return unwrap(e);
        } catch (java.util.concurrent.TimeoutException e) {
            return new java.util.concurrent.TimeoutException("not acknowledged before the batch's delivery deadline");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** A failed record of a batch: classified, copied to the DLQ when allowed, as {@link #publish} does for one. */
    private StreamingException batchFailure(ResolvedEvent event, DeliveryPolicy policy, EmitAttempt attempt,
            ProducerRecord<byte[], byte[]> record, Throwable failure, Instant started, long deadline) {
        Throwable cause = unwrap(failure);
        ErrorClass errorClass = ErrorClassifier.classify(cause);
        if (policy.dlqAllowed() && errorClass.isDlqRoutable() && !closed.get()
                && deadLetters.write(record, event, errorClass, cause, started, deadline)) {
            attempt.deadLettered();
        }
        return errorClass.isCallerError()
                ? new CallerFaultEmitException(errorClass, record.topic(), event.resourceType(), event.eventType(),
                        event.tenantId(), cause)
                : new EmitException(errorClass, record.topic(), event.resourceType(), event.eventType(),
                        event.tenantId(), cause);
    }

    /**
     * Flushes within the close timeout and closes the producer; idempotent. Records not acknowledged by then are
     * abandoned by the client.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            deadLetters.close();
            producer.close(closeTimeout);
        }
    }
}
