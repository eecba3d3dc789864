package studio.lerian.streaming.core.internal;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Copies records that failed to publish to their topic's dead-letter topic ({@link DlqRecords}), on the publisher's
 * producer, and counts each copy once, when its fate is known: {@code streaming_dlq_total} when the broker acknowledged
 * it, {@code streaming_dlq_publish_failed_total} (and an ERROR log line) when it failed. A copy never fails its caller:
 * the caller waits for it at most until its own deadline, and a copy still in flight then completes in the background.
 * Thread-safe.
 */
final class DeadLetterWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    /** The most copies waiting for a sender thread. */
    static final int QUEUE = 1024;

    private final Producer<byte[], byte[]> producer;
    private final String producerId;
    private final Telemetry telemetry;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Hands copies to the client off the caller's thread: {@code send()} itself may block for the DLQ topic's metadata
     * for up to {@code max.block.ms} (half the delivery timeout), which the caller's deadline cannot cut. Bounded on
     * both sides: at most two sender threads and {@link #QUEUE} waiting copies. During a broker outage the copies
     * cannot be written anyway; beyond the bound they are refused and logged, never piled up.
     */
    private final ExecutorService senders;

    /**
     * @param producer the producer the copies are sent with (the publisher's own)
     * @param producerId this instance's id, carried in {@code x-lerian-dlq-producer-id}
     * @param telemetry where copies are counted
     */
    DeadLetterWriter(Producer<byte[], byte[]> producer, String producerId, Telemetry telemetry) {
        this.producer = producer;
        this.producerId = producerId;
        this.telemetry = telemetry;
        AtomicInteger threads = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(0, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), task -> {
            Thread t = new Thread(task, "streaming-dlq-send-" + producerId + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Writes the copy, waiting for it only until the deadline; a copy still in flight then completes (or fails, and
     * is logged) in the background. A copy refused for its size is retried once without its payload. Nothing is
     * written after {@link #close()}.
     *
     * @param failed the record as it was sent
     * @param event its event (for the log line)
     * @param errorClass why it failed
     * @param cause the failure
     * @param firstFailureAt when the failing attempt started
     * @param deadline the longest wait, in {@link System#nanoTime()} units
     * @return whether the copy was acknowledged within the deadline
     */
    boolean write(ProducerRecord<byte[], byte[]> failed, ResolvedEvent event, ErrorClass errorClass, Throwable cause,
            Instant firstFailureAt, long deadline) {
        if (closed.get()) {
            return false;
        }
        String source = failed.topic();
        ProducerRecord<byte[], byte[]> dlq;
        CompletableFuture<RecordMetadata> copy;
        try {
            dlq = DlqRecords.copy(failed, errorClass, cause, firstFailureAt, producerId);
            ProducerRecord<byte[], byte[]> framed = dlq;
            copy = send(framed).exceptionallyCompose(error -> unwrap(error) instanceof RecordTooLargeException
                    ? send(DlqRecords.withoutPayload(framed))
                    : CompletableFuture.failedFuture(error));
        } catch (RuntimeException e) {
            failed(source, studio.lerian.streaming.wire.Topics.dlqTopic(source), event, errorClass, e);
            return false;
        }
        try {
            copy.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            telemetry.dlqWritten(source, errorClass);
            return true;
        } catch (TimeoutException stillRunning) {
            // The caller's deadline is spent; the copy completes in the background and is counted (and logged if it
            // fails) then. The caller's outcome cannot wait for it. The stage returned would only repeat the copy's
            // outcome, which the action handles.
            CompletableFuture<RecordMetadata> unused = copy.whenComplete((ok, error) -> {
                if (error == null) {
                    telemetry.dlqWritten(source, errorClass);
                } else {
                    failed(source, dlq.topic(), event, errorClass, error);
                }
            });
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failed(source, dlq.topic(), event, errorClass, e);
        }
        return false;
    }

    /** Sends a copy from the sender threads; a full queue fails the returned future at once. */
    private CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> dlq) {
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        try {
            senders.execute(() -> {
                try {
                    // The callback receives the outcome, failure included; the future returned repeats it.
                    Future<RecordMetadata> unused = producer.send(dlq, (metadata, error) -> {
                        if (error == null) {
                            ack.complete(metadata);
                        } else {
                            ack.completeExceptionally(error);
                        }
                    });
                } catch (RuntimeException e) {
                    ack.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException full) {
            ack.completeExceptionally(full);
        }
        return ack;
    }

    private void failed(String sourceTopic, String dlqTopic, ResolvedEvent event, ErrorClass errorClass,
            Throwable e) {
        telemetry.dlqFailed(sourceTopic);
        Throwable cause = unwrap(e);
        LOG.log(Level.ERROR, () -> LogLine.of("streaming: DLQ publish failed").field("producer_id", producerId)
                .field("topic", sourceTopic).field("resource_type", event.resourceType())
                .field("event_type", event.eventType()).field("tenant_id", event.tenantId())
                .field("event_id", event.eventId()).field("outcome", "dlq_publish_failed")
                .field("error_class", errorClass.wire()).field("dlq_topic", dlqTopic)
                .field("error", Sanitizer.describe(cause)).toString());
    }

    /** Strips the future wrappers around the client's exception. */
    static Throwable unwrap(Throwable t) {
        Throwable u = t;
        while ((u instanceof ExecutionException || u instanceof java.util.concurrent.CompletionException)
                && u.getCause() != null) {
            u = u.getCause();
        }
        return u;
    }

    /** Refuses further copies and stops the sender threads once the queued copies are handed over; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            senders.shutdown();
        }
    }
}
