package studio.lerian.streaming.cdi.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.cdi.kafka.RecordFramer;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The direct publish: frames an event, sends it and waits for the broker's acknowledgement within the delivery
 * timeout; on failure classifies it, copies the record to the dead-letter topic when the policy and the class allow,
 * and throws an {@link EmitException}. No breaker here: {@link GuardedPublisher} wraps this for emits, and the outbox
 * relay calls it directly. Thread-safe.
 */
public final class KafkaPublisher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    /** Added to the delivery timeout so that the client's own timeout normally fires first. */
    static final Duration DEADLINE_MARGIN = Duration.ofMillis(250);

    private final Producer<byte[], byte[]> producer;
    private final RecordFramer framer;
    private final String producerId;
    private final Duration deliveryTimeout;
    private final Semaphore inFlight;
    private final Duration closeTimeout;
    private final ExecutorService dlqSender;
    private final AtomicBoolean closed = new AtomicBoolean();

    KafkaPublisher(Producer<byte[], byte[]> producer, RecordFramer framer, String producerId,
            Duration deliveryTimeout, int maxInFlight, Duration closeTimeout) {
        this.producer = producer;
        this.framer = framer;
        this.producerId = producerId;
        this.deliveryTimeout = deliveryTimeout;
        this.inFlight = new Semaphore(maxInFlight);
        this.closeTimeout = closeTimeout;
        this.dlqSender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(maxInFlight), runnable -> {
                    Thread t = new Thread(runnable, "lerian-streaming-dlq-" + producerId);
                    t.setDaemon(true);
                    return t;
                });
    }

    /** @return this instance's id, carried in {@code x-lerian-dlq-producer-id} */
    public String producerId() {
        return producerId;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Publishes the event to its topic and waits for the acknowledgement.
     *
     * @param event the event
     * @param policy its resolved policy (decides the DLQ copy)
     * @throws EmitException on a failed publish ({@link CallerFaultEmitException} for caller classes)
     * @throws StreamingException {@link ErrorCode#EMITTER_CLOSED} after {@link #close()}
     */
    public void publish(ResolvedEvent event, DeliveryPolicy policy) {
        publish(event, event.topic(), policy);
    }

    /**
     * Publishes the event to the given topic (a relay's stored topic) and waits for the acknowledgement.
     *
     * @param event the event
     * @param topic the destination topic
     * @param policy its delivery policy (decides the DLQ copy)
     * @throws EmitException on a failed publish ({@link CallerFaultEmitException} for caller classes)
     * @throws StreamingException {@link ErrorCode#EMITTER_CLOSED} after {@link #close()}
     */
    public void publish(ResolvedEvent event, String topic, DeliveryPolicy policy) {
        if (closed.get()) {
            throw new StreamingException(ErrorCode.EMITTER_CLOSED);
        }
        ProducerRecord<byte[], byte[]> record = framer.frame(event, topic);
        Instant started = Instant.now();
        long deadline = System.nanoTime() + deliveryTimeout.toNanos() + DEADLINE_MARGIN.toNanos();
        try {
            send(record, deadline);
        } catch (Exception failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = unwrap(failure);
            ErrorClass errorClass = ErrorClassifier.classify(cause);
            if (policy.dlqAllowed() && errorClass.isDlqRoutable() && !closed.get()) {
                writeDlq(record, event, errorClass, cause, started, deadline);
            }
            throw errorClass.isCallerError()
                    ? new CallerFaultEmitException(errorClass, topic, event.resourceType(), event.eventType(),
                            event.tenantId(), cause)
                    : new EmitException(errorClass, topic, event.resourceType(), event.eventType(), event.tenantId(),
                            cause);
        }
    }

    /** Sends and waits, bounded by the deadline: the in-flight permit, send() itself and the acknowledgement. */
    private RecordMetadata send(ProducerRecord<byte[], byte[]> record, long deadline) throws Exception {
        if (!inFlight.tryAcquire(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
            throw new java.util.concurrent.TimeoutException(
                    "in-flight record limit reached and no slot freed before the delivery timeout");
        }
        try {
            Future<RecordMetadata> ack = producer.send(record);
            return ack.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
        } finally {
            inFlight.release();
        }
    }

    /**
     * Writes the DLQ copy, waiting for it only within what is left of the caller's deadline so that the emit stays
     * bounded; a copy still in flight then completes (or fails, and is logged) in the background. A copy refused for
     * its size is retried once without its payload.
     */
    private void writeDlq(ProducerRecord<byte[], byte[]> failed, ResolvedEvent event, ErrorClass errorClass,
            Throwable cause, Instant started, long deadline) {
        ProducerRecord<byte[], byte[]> dlq = DlqRecords.copy(failed, errorClass, cause, started, producerId);
        try {
            awaitDlq(dlq, deadline);
        } catch (Exception first) {
            if (unwrap(first) instanceof RecordTooLargeException) {
                try {
                    awaitDlq(DlqRecords.withoutPayload(dlq), deadline);
                    return;
                } catch (Exception second) {
                    logDlqFailure(dlq.topic(), event, errorClass, second);
                    return;
                }
            }
            if (!(first instanceof java.util.concurrent.TimeoutException)) {
                logDlqFailure(dlq.topic(), event, errorClass, first);
            }
        }
    }

    /**
     * Hands the DLQ copy to the DLQ sender thread and waits for its acknowledgement until the deadline. The send runs
     * off the caller's thread because {@code send()} itself can block for up to {@code max.block.ms} (the delivery
     * timeout) while the DLQ topic's metadata is unknown, which is the case during a broker outage; done inline, that
     * wait came on top of the failed publish's own and doubled the emit's duration.
     */
    private void awaitDlq(ProducerRecord<byte[], byte[]> dlq, long deadline) throws Exception {
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        dlqSender.execute(() -> {
            try {
                producer.send(dlq, (metadata, error) -> {
                    if (error == null) {
                        ack.complete(metadata);
                        return;
                    }
                    ack.completeExceptionally(error);
                    if (!(error instanceof RecordTooLargeException)) {
                        LOG.log(Level.ERROR, () -> "streaming: DLQ publish failed dlq_topic=" + dlq.topic()
                                + " error=" + Sanitizer.sanitize(String.valueOf(error.getMessage())));
                    }
                });
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
                LOG.log(Level.ERROR, () -> "streaming: DLQ publish failed dlq_topic=" + dlq.topic() + " error="
                        + Sanitizer.sanitize(String.valueOf(e.getMessage())));
            }
        });
        ack.get(Math.max(0, remainingNanos(deadline)), TimeUnit.NANOSECONDS);
    }

    private static void logDlqFailure(String dlqTopic, ResolvedEvent event, ErrorClass errorClass, Exception e) {
        Throwable cause = unwrap(e);
        LOG.log(Level.ERROR, () -> "streaming: DLQ publish failed topic=" + event.topic() + " resource_type="
                + event.resourceType() + " event_type=" + event.eventType() + " tenant_id=" + event.tenantId()
                + " event_id=" + event.eventId() + " outcome=dlq_publish_failed error_class=" + errorClass.wire()
                + " dlq_topic=" + dlqTopic + " error=" + Sanitizer.sanitize(String.valueOf(cause.getMessage())));
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    }

    /**
     * Flushes within the close timeout and closes the producer; idempotent. DLQ copies still queued get the same
     * window. Records not acknowledged by then are abandoned by the client.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long deadline = System.nanoTime() + closeTimeout.toNanos();
            dlqSender.shutdown();
            try {
                dlqSender.awaitTermination(remainingNanos(deadline), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                producer.close(Duration.ofNanos(remainingNanos(deadline)));
            } finally {
                dlqSender.shutdownNow();
            }
        }
    }
}
