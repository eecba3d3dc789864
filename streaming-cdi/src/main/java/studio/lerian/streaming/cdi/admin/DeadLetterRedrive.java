package studio.lerian.streaming.cdi.admin;

import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.internal.RedriveClients;
import studio.lerian.streaming.cdi.internal.StreamingRuntime;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.wire.CloudEventsHeaders;

/**
 * Re-drives dead letters: reads {@code <topic>.dlq}, strips every {@code x-lerian-dlq-*} header and publishes each
 * selected record back to its source topic with the same key, value and remaining headers (the CloudEvents headers in
 * their order, then the trace context), in DLQ order per DLQ partition, and waits for every acknowledgement.
 *
 * <p>Inject it where {@code @Inject Emitter} works ({@code @Inject DeadLetterRedrive redrive}); it uses the
 * emitter's configuration (brokers, TLS, SASL, {@code STREAMING_KAFKA_*}). Without CDI, build it from
 * {@link RedriveSettings}; {@link RedriveCommand} is the command-line tool. Each run opens its own consumer and
 * producer and closes them before it returns: the consumer has no group, is assigned its partitions and commits
 * nothing, so the application's consumer groups never see it; the producer is idempotent with {@code acks=all}.
 *
 * <p>A run reads each DLQ partition up to the end offset it had when the run started, so it ends while producers keep
 * writing. Records it does not re-drive are counted in {@link RedriveResult#skipped()}: records without the
 * dead-letter headers, records whose {@code x-lerian-dlq-source-topic} names another topic (a DLQ shared by mistake),
 * and dead letters written without their value.
 *
 * <p><b>Order.</b> A dead letter never reached its source topic; re-driven, it is appended after everything already
 * there, so it lands behind the events of its key published after it failed, and consumers see that key's events out
 * of order. By default a run first reads the selected dead letters, then the source topic from the earliest failure
 * time ({@code x-lerian-dlq-first-failure-at}) to its end: if any selected key has an event there at or after its
 * dead letter's failure time (other than the re-driven copy of a selected dead letter or of one of the key's dead
 * letters that failed no later, from an earlier run), the run is refused
 * with {@link ErrorCode#REDRIVE_OUT_OF_ORDER}, naming the keys, and nothing is sent. So is a run whose check would
 * read more than {@link RedriveRequest#orderCheckLimit()} records. With
 * {@link RedriveRequest.Builder#acceptOutOfOrder(boolean)} the check is skipped and the events are re-driven behind
 * the newer ones: only for consumers that accept that. A dry run reports the keys instead of refusing. The times
 * compared are the producers' clocks (the failing producer's and the source records' timestamps).
 *
 * <p>A send that fails stops the run: what was acknowledged stays sent, and {@link RedriveException#result()} gives,
 * per DLQ partition, the first record not acknowledged, to resume from. A resumed run can send again records that had
 * been acknowledged after that one (to other source partitions): re-drive is at least once, as the emitter is.
 *
 * <p>Every run writes one audit line, {@code streaming: dead letters re-driven}, with the operator, the topic, the
 * filters, whether it was a dry run, the outcome and the counts.
 */
public class DeadLetterRedrive {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    /** The prefix of the headers a dead-letter copy adds; every one is stripped. */
    static final String DLQ_HEADER_PREFIX = "x-lerian-dlq-";

    private static final Duration POLL = Duration.ofMillis(200);

    /** Sends waited for at once: bounds what a failure leaves unacknowledged and the memory of pending sends. */
    private static final int SETTLE_EVERY = 1_000;

    /** Keys named in a refusal message; the result lists them all. */
    private static final int KEYS_IN_MESSAGE = 20;

    @Inject
    StreamingRuntime runtime;

    private final RedriveSettings settings;

    /** For the CDI container, which injects the runtime whose configuration the emitter uses. */
    protected DeadLetterRedrive() {
        this.settings = null;
    }

    /**
     * A re-drive outside CDI, e.g. in a tool.
     *
     * @param settings how to reach the cluster
     */
    public DeadLetterRedrive(RedriveSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Runs a re-drive; see the class description for what it sends, in which order and when it refuses.
     *
     * @param request what to re-drive
     * @return what the run read, sent and skipped, and where to resume
     * @throws RedriveException {@link ErrorCode#REDRIVE_OUT_OF_ORDER} when the order check refuses the run (nothing
     *         sent); {@link ErrorCode#REDRIVE_FAILED} when Kafka failed a read or a send (the result says what was sent)
     * @throws StreamingException {@link ErrorCode#INVALID_REDRIVE_REQUEST} when a start offset names a partition the
     *         DLQ topic does not have; a configuration code when streaming is disabled in this deployment
     */
    public RedriveResult redrive(RedriveRequest request) {
        Objects.requireNonNull(request, "request");
        StreamingConfig config = config();
        Run run = new Run(request, config);
        try {
            RedriveResult result = run.execute();
            audit(request, result, result.dryRun() ? "dry_run" : result.complete() ? "completed" : "stopped_at_max",
                    null);
            return result;
        } catch (RedriveException e) {
            audit(request, e.result(), e.code() == ErrorCode.REDRIVE_OUT_OF_ORDER ? "refused" : "failed", e);
            throw e;
        } catch (RuntimeException e) {
            boolean caller = e instanceof StreamingException se && se.code().isCallerError();
            audit(request, run.snapshot(), caller ? "refused" : "failed", e);
            throw e;
        } finally {
            run.close();
        }
    }

    private StreamingConfig config() {
        if (settings != null) {
            return settings.config();
        }
        StreamingConfig c = runtime.config();
        if (c == null || !c.active()) {
            throw new StreamingException(ErrorCode.MISSING_BROKERS, "streaming is disabled in this deployment ("
                    + ConfigKey.ENABLED.env() + "=false or no " + ConfigKey.BROKERS.env()
                    + "): the dead-letter re-drive has no cluster to read");
        }
        return c;
    }

    private static void audit(RedriveRequest request, RedriveResult result, String outcome, Throwable error) {
        LogLine line = LogLine.of("streaming: dead letters re-driven")
                .field("operator", request.operator())
                .field("topic", request.topic())
                .field("dlq_topic", request.dlqTopic())
                .field("keys", request.keys().isEmpty() ? "*" : String.join(",", request.keys()))
                .field("from", request.from().map(Instant::toString).orElse("*"))
                .field("to", request.to().map(Instant::toString).orElse("*"))
                .field("start_offsets", offsets(request.startOffsets()))
                .field("max", request.maxRecords() == Long.MAX_VALUE ? "*" : request.maxRecords())
                .field("dry_run", request.dryRun())
                .field("accept_out_of_order", request.acceptOutOfOrder())
                .field("outcome", outcome)
                .field("read", result.read())
                .field("matched", result.matched())
                .field("sent", result.sent())
                .field("skipped", result.skippedText())
                .field("next_offsets", result.nextOffsetsText())
                .field("out_of_order_keys", result.outOfOrderKeys().isEmpty() ? "none"
                        : String.join(",", result.outOfOrderKeys()));
        if (error != null) {
            line.field("error", Sanitizer.describe(error));
        }
        LOG.log("failed".equals(outcome) ? Level.WARNING : Level.INFO, line.toString());
    }

    private static String offsets(Map<Integer, Long> offsets) {
        if (offsets.isEmpty()) {
            return "none";
        }
        List<String> out = new ArrayList<>();
        offsets.forEach((p, o) -> out.add(p + ":" + o));
        return String.join(",", out);
    }

    /** One re-drive: its clients, its counts, its passes. */
    private static final class Run implements AutoCloseable {

        private final RedriveRequest request;
        private final StreamingConfig config;
        private final Duration stallLimit;
        private KafkaConsumer<byte[], byte[]> consumer;
        private Producer<byte[], byte[]> producer;

        private Map<TopicPartition, Long> end = Map.of();
        private Map<TopicPartition, Long> start = Map.of();
        private Pass current;
        private Sender sender;
        private List<String> outOfOrder = List.of();

        Run(RedriveRequest request, StreamingConfig config) {
            this.request = request;
            this.config = config;
            // Longer than a poll answered within a request timeout: a partition that yields nothing for this long
            // while its end is not reached is not slow but unreachable.
            this.stallLimit = config.deliveryTimeout().multipliedBy(2);
        }

        RedriveResult execute() {
            try {
                consumer = new KafkaConsumer<>(RedriveClients.consumer(config));
                List<TopicPartition> partitions = partitions(request.dlqTopic());
                for (Integer p : request.startOffsets().keySet()) {
                    if (!partitions.contains(new TopicPartition(request.dlqTopic(), p))) {
                        throw new StreamingException(ErrorCode.INVALID_REDRIVE_REQUEST, "start offset for partition "
                                + p + ", which " + request.dlqTopic() + " does not have (it has " + partitions.size()
                                + ")");
                    }
                }
                end = consumer.endOffsets(partitions);
                start = startPositions(partitions);
                Pass selection = null;
                if (!request.acceptOutOfOrder() || request.dryRun()) {
                    selection = scan(partitions, end, null);
                }
                if (!request.acceptOutOfOrder()) {
                    OrderCheck check = checkOrder(selection, partitions);
                    outOfOrder = List.copyOf(check.keys);
                    if (check.exhausted) {
                        throw refused(selection, "the order check read its limit of " + request.orderCheckLimit()
                                + " records of " + request.topic() + " without reaching the end offsets of the run's"
                                + " start; it cannot tell whether the dead letters would land behind newer events of"
                                + " their keys. Narrow the keys or the time range, raise the limit, or accept out-of-"
                                + "order delivery");
                    }
                    if (!outOfOrder.isEmpty() && !request.dryRun()) {
                        throw refused(selection, outOfOrder.size() + " key(s) have events on " + request.topic()
                                + " published at or after their dead letters failed: " + keyList(outOfOrder)
                                + "; re-driven, the dead letters would land behind them. Re-drive them only for"
                                + " consumers that accept out-of-order events of a key (acceptOutOfOrder), or leave"
                                + " those keys out");
                    }
                }
                if (request.dryRun()) {
                    return selection.result(0, selection.next, outOfOrder);
                }
                producer = new KafkaProducer<>(RedriveClients.producer(config));
                sender = new Sender(producer, request.topic());
                Pass sending = scan(partitions, selection == null ? end : selection.next, sender);
                sender.settle();
                return sending.result(sender.sent, sending.next, outOfOrder);
            } catch (SendFailed e) {
                Map<TopicPartition, Long> resume = new HashMap<>(current.next);
                resume.putAll(sender.firstUnacknowledged);
                throw new RedriveException(ErrorCode.REDRIVE_FAILED, "sending to " + request.topic() + " failed after "
                        + sender.sent + " record(s) were acknowledged; resume from " + offsetsText(resume) + ": "
                        + Sanitizer.describe(e.getCause()), current.result(sender.sent, resume, outOfOrder),
                        e.getCause());
            } catch (KafkaException e) {
                throw new RedriveException(ErrorCode.REDRIVE_FAILED, "reading " + request.dlqTopic() + " or "
                        + request.topic() + " failed: " + Sanitizer.describe(e), snapshot(), e);
            }
        }

        /** The run's counts so far, for a failure outside a pass's own accounting. */
        RedriveResult snapshot() {
            if (current == null) {
                Pass none = new Pass(start);
                return none.result(0, start, outOfOrder);
            }
            Map<TopicPartition, Long> resume = new HashMap<>(current.next);
            long sent = 0;
            if (sender != null) {
                resume.putAll(sender.firstUnacknowledged);
                sent = sender.sent;
            }
            return current.result(sent, resume, outOfOrder);
        }

        private RedriveException refused(Pass selection, String detail) {
            return new RedriveException(ErrorCode.REDRIVE_OUT_OF_ORDER, detail, selection.result(0, start, outOfOrder),
                    null);
        }

        private List<TopicPartition> partitions(String topic) {
            List<PartitionInfo> info = consumer.partitionsFor(topic);
            List<TopicPartition> out = new ArrayList<>();
            if (info != null) {
                for (PartitionInfo p : info) {
                    out.add(new TopicPartition(topic, p.partition()));
                }
            }
            out.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            return out;
        }

        /** Per DLQ partition: the requested offset (within what the log holds), else {@code from}, else the start. */
        private Map<TopicPartition, Long> startPositions(List<TopicPartition> partitions) {
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> fromTime = Map.of();
            if (request.from().isPresent()) {
                Map<TopicPartition, Long> query = new HashMap<>();
                long ms = request.from().get().toEpochMilli();
                partitions.forEach(tp -> query.put(tp, ms));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                fromTime = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp at = found.get(tp);
                    fromTime.put(tp, at == null ? end.get(tp) : at.offset()); // null: nothing that recent
                }
            }
            Map<TopicPartition, Long> out = new HashMap<>();
            for (TopicPartition tp : partitions) {
                Long asked = request.startOffsets().get(tp.partition());
                long position = asked != null ? asked : fromTime.getOrDefault(tp, begin.get(tp));
                out.put(tp, Math.min(Math.max(position, begin.get(tp)), end.get(tp)));
            }
            return out;
        }

        /**
         * Reads each DLQ partition from its start position up to its bound, classifying every record and handing the
         * selected ones to the sender (none on a selecting pass), until {@link RedriveRequest#maxRecords()} are
         * selected.
         */
        private Pass scan(List<TopicPartition> partitions, Map<TopicPartition, Long> bound, Sender to) {
            Pass pass = new Pass(start);
            current = pass;
            Map<TopicPartition, Long> from = new HashMap<>();
            partitions.forEach(tp -> from.put(tp, start.get(tp)));
            read(from, bound, r -> {
                if (pass.matched >= request.maxRecords()) {
                    return false; // the rest is left for the next run, from pass.next
                }
                pass.examine(new TopicPartition(r.topic(), r.partition()), r, to);
                return true;
            }, tp -> pass.next.merge(tp, bound.get(tp), Math::max));
            return pass;
        }

        /**
         * Reads the source topic from the earliest failure time of the selected dead letters to its current end, and
         * finds the selected keys that have an event there at or after their dead letter's failure. A record there
         * that is a re-driven copy of a dead letter of the key that failed no later (an earlier run, resumed or
         * re-driving an older range first) is an older event, not a newer one: those dead letters are found first.
         */
        private OrderCheck checkOrder(Pass selection, List<TopicPartition> dlqPartitions) {
            OrderCheck check = new OrderCheck();
            if (selection.failedAt.isEmpty()) {
                return check;
            }
            long[] read = {0};
            Set<String> older = new HashSet<>(selection.eventIds);
            boolean whole = read(consumer.beginningOffsets(dlqPartitions), end, r -> {
                if (++read[0] > request.orderCheckLimit()) {
                    return false;
                }
                Long failed = r.key() == null ? null : selection.failedAt.get(new String(r.key(),
                        StandardCharsets.UTF_8));
                String id = eventId(r);
                if (failed != null && id != null && request.topic().equals(header(r,
                        CloudEventsHeaders.DLQ_SOURCE_TOPIC)) && failureTime(r) <= failed) {
                    older.add(id);
                }
                return true;
            }, tp -> { });
            List<TopicPartition> source = partitions(request.topic());
            if (!whole || source.isEmpty()) {
                check.exhausted = !whole;
                return check;
            }
            long earliest = selection.failedAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            Map<TopicPartition, Long> query = new HashMap<>();
            source.forEach(tp -> query.put(tp, earliest));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> to = consumer.endOffsets(source);
            Map<TopicPartition, Long> from = new HashMap<>();
            for (TopicPartition tp : source) {
                from.put(tp, found.get(tp) == null ? to.get(tp) : found.get(tp).offset()); // null: nothing newer
            }
            check.exhausted = !read(from, to, r -> {
                if (++read[0] > request.orderCheckLimit()) {
                    return false;
                }
                if (r.key() != null) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    Long failed = selection.failedAt.get(key);
                    if (failed != null && r.timestamp() >= failed && !older.contains(eventId(r))) {
                        check.keys.add(key);
                    }
                }
                return true;
            }, tp -> { });
            return check;
        }

        /**
         * Hands every record of each partition's range [from, to) to {@code each}, per partition in offset order, and
         * each partition to {@code done} once its range is read (it is then paused, so that nothing past its end is
         * fetched).
         *
         * @return true when every range was read; false when {@code each} answered false (reading stops there)
         */
        private boolean read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
                java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> each,
                java.util.function.Consumer<TopicPartition> done) {
            List<TopicPartition> open = new ArrayList<>();
            from.forEach((tp, offset) -> {
                if (offset < to.get(tp)) {
                    open.add(tp);
                }
            });
            consumer.assign(open);
            consumer.resume(open); // a partition paused by an earlier pass stays paused when assigned again
            open.forEach(tp -> consumer.seek(tp, from.get(tp)));
            long lastProgress = System.nanoTime();
            while (!open.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                        if (r.offset() >= to.get(tp)) {
                            break;
                        }
                        lastProgress = System.nanoTime();
                        if (!each.test(r)) {
                            return false;
                        }
                    }
                }
                List<TopicPartition> finished = open.stream().filter(tp -> consumer.position(tp) >= to.get(tp))
                        .toList();
                finished.forEach(done);
                open.removeAll(finished);
                consumer.pause(finished);
                if (!open.isEmpty() && System.nanoTime() - lastProgress > stallLimit.toNanos()) {
                    throw new TimeoutException("no record of " + open + " within " + stallLimit
                            + " before the end offsets " + to);
                }
            }
            return true;
        }

        /** A pass over the DLQ partitions: what it read, selected and skipped, and how far it got. */
        private final class Pass {

            final Map<TopicPartition, Long> next;
            final EnumMap<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
            /** Per selected key, the earliest failure time (epoch ms) of its selected dead letters. */
            final Map<String, Long> failedAt = new HashMap<>();
            /** The CloudEvents ids of the selected dead letters. */
            final Set<String> eventIds = new HashSet<>();
            long read;
            long matched;

            Pass(Map<TopicPartition, Long> start) {
                this.next = new HashMap<>(start);
            }

            void examine(TopicPartition tp, ConsumerRecord<byte[], byte[]> r, Sender to) {
                read++;
                SkipReason skip = classify(r);
                if (skip == null && selected(r)) {
                    if ("true".equals(header(r, CloudEventsHeaders.DLQ_PAYLOAD_OMITTED))) {
                        skip = SkipReason.PAYLOAD_OMITTED;
                    } else {
                        matched++;
                        if (to != null) {
                            to.send(tp, r);
                        } else if (r.key() != null) {
                            failedAt.merge(new String(r.key(), StandardCharsets.UTF_8), failureTime(r), Math::min);
                            String id = eventId(r);
                            if (id != null) {
                                eventIds.add(id);
                            }
                        }
                    }
                }
                if (skip != null) {
                    skipped.merge(skip, 1L, Long::sum);
                }
                next.put(tp, r.offset() + 1);
            }

            private SkipReason classify(ConsumerRecord<byte[], byte[]> r) {
                String source = header(r, CloudEventsHeaders.DLQ_SOURCE_TOPIC);
                if (source == null) {
                    return SkipReason.NOT_A_DEAD_LETTER;
                }
                return source.equals(request.topic()) ? null : SkipReason.OTHER_TOPIC;
            }

            private boolean selected(ConsumerRecord<byte[], byte[]> r) {
                if (!request.keys().isEmpty()
                        && (r.key() == null || !request.keys().contains(new String(r.key(), StandardCharsets.UTF_8)))) {
                    return false;
                }
                if (request.from().isPresent() && r.timestamp() < request.from().get().toEpochMilli()) {
                    return false;
                }
                return request.to().isEmpty() || r.timestamp() < request.to().get().toEpochMilli();
            }

            RedriveResult result(long sent, Map<TopicPartition, Long> resume, List<String> outOfOrderKeys) {
                Map<Integer, Long> byPartition = new TreeMap<>();
                boolean complete = true;
                for (Map.Entry<TopicPartition, Long> e : resume.entrySet()) {
                    byPartition.put(e.getKey().partition(), e.getValue());
                    complete &= e.getValue() >= end.get(e.getKey());
                }
                return new RedriveResult(request.topic(), request.dlqTopic(), request.dryRun(), read, matched, sent,
                        skipped, byPartition, complete, outOfOrderKeys);
            }
        }

        @Override
        public void close() {
            Duration timeout = config.closeTimeout();
            if (producer != null) {
                producer.close(timeout);
            }
            if (consumer != null) {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(timeout));
            }
        }
    }

    /** What the order check found. */
    private static final class OrderCheck {
        final Set<String> keys = new TreeSet<>();
        boolean exhausted;
    }

    /** Publishes the selected records and keeps, per DLQ partition, which are acknowledged. */
    private static final class Sender {

        private final Producer<byte[], byte[]> producer;
        private final String topic;
        private final Deque<Pending> pending = new ArrayDeque<>();
        private volatile boolean failing;
        final Map<TopicPartition, Long> firstUnacknowledged = new LinkedHashMap<>();
        long sent;

        Sender(Producer<byte[], byte[]> producer, String topic) {
            this.producer = producer;
            this.topic = topic;
        }

        void send(TopicPartition dlq, ConsumerRecord<byte[], byte[]> r) {
            Headers headers = new RecordHeaders();
            for (Header h : r.headers()) {
                if (!h.key().startsWith(DLQ_HEADER_PREFIX)) {
                    headers.add(h.key(), h.value());
                }
            }
            // No partition and no timestamp: the producer's partitioner puts the record on its key's partition, as
            // the emitter's does, and the broker's topic sees it as written now, which it is.
            ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, null, null, r.key(), r.value(), headers);
            Future<RecordMetadata> future;
            try {
                future = producer.send(out, (metadata, error) -> {
                    if (error != null) {
                        failing = true;
                    }
                });
            } catch (KafkaException e) {
                future = CompletableFuture.failedFuture(e);
                failing = true;
            }
            pending.add(new Pending(dlq, r.offset(), future));
            if (failing || pending.size() >= SETTLE_EVERY) {
                settle();
            }
        }

        /** Waits for every pending send; after a failure, throws with the first one's cause. */
        void settle() {
            producer.flush();
            Throwable first = null;
            for (Pending p : pending) {
                try {
                    p.future.get();
                    sent++; // on the source topic, even after an earlier failure of its DLQ partition
                } catch (ExecutionException e) {
                    first = first == null ? e.getCause() : first;
                    firstUnacknowledged.putIfAbsent(p.dlq, p.offset);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    first = first == null ? e : first;
                    firstUnacknowledged.putIfAbsent(p.dlq, p.offset);
                }
            }
            pending.clear();
            if (first != null) {
                throw new SendFailed(first);
            }
        }
    }

    private record Pending(TopicPartition dlq, long offset, Future<RecordMetadata> future) {
    }

    /** Ends the sending pass; caught in the run, which reports it as {@link ErrorCode#REDRIVE_FAILED}. */
    private static final class SendFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SendFailed(Throwable cause) {
            super(cause);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The CloudEvents id in the lerian ({@code ce-id}) or Kafka binary ({@code ce_id}) format. */
    private static String eventId(ConsumerRecord<byte[], byte[]> r) {
        String id = header(r, "ce-id");
        return id != null ? id : header(r, "ce_id");
    }

    /** The failure time the dead letter records, else the copy's own timestamp (written just after the failure). */
    private static long failureTime(ConsumerRecord<byte[], byte[]> r) {
        String at = header(r, CloudEventsHeaders.DLQ_FIRST_FAILURE_AT);
        if (at != null) {
            try {
                return OffsetDateTime.parse(at).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // a foreign or damaged header: the copy's timestamp is the next best bound
            }
        }
        return r.timestamp();
    }

    private static String keyList(List<String> keys) {
        List<String> shown = keys.subList(0, Math.min(keys.size(), KEYS_IN_MESSAGE));
        List<String> quoted = new ArrayList<>();
        shown.forEach(k -> quoted.add(LogLine.quoted(k)));
        return String.join(", ", quoted) + (keys.size() > shown.size() ? " and " + (keys.size() - shown.size())
                + " more" : "");
    }

    private static String offsetsText(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> byPartition = new TreeMap<>();
        offsets.forEach((tp, o) -> byPartition.put(tp.partition(), o));
        return offsets(byPartition);
    }
}
