package studio.lerian.streaming.cdi.admin;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.wire.Topics;

/**
 * What a {@link DeadLetterRedrive} run re-drives: the dead letters of one source topic (read from
 * {@code <topic>.dlq}), optionally only those of some partition keys, of a time range, from given offsets on, and at
 * most so many. Immutable; build one with {@link #builder(String, String)}.
 *
 * <p>The time range applies to the dead-letter record's timestamp (when the copy was written, just after the publish
 * failed), {@code from} included and {@code to} excluded. Start offsets (per partition of the DLQ topic) resume a run
 * where an earlier one stopped ({@link RedriveResult#nextOffsets()}); a partition without one is read from
 * {@code from} (found with the broker's time index) or from its start.
 *
 * <p>Order: see {@link DeadLetterRedrive}. Unless {@link Builder#acceptOutOfOrder(boolean)} is set, a run that would
 * put an event behind a newer event of its key on the source topic is refused.
 */
public final class RedriveRequest {

    /** How many records the order check reads at most (DLQ and source topic), unless the request says otherwise. */
    public static final long DEFAULT_ORDER_CHECK_LIMIT = 1_000_000;

    private final String topic;
    private final String operator;
    private final Set<String> keys;
    private final Instant from;
    private final Instant to;
    private final Map<Integer, Long> startOffsets;
    private final long maxRecords;
    private final boolean dryRun;
    private final boolean acceptOutOfOrder;
    private final long orderCheckLimit;

    private RedriveRequest(Builder b) {
        this.topic = b.topic;
        this.operator = b.operator;
        this.keys = Collections.unmodifiableSet(new LinkedHashSet<>(b.keys));
        this.from = b.from;
        this.to = b.to;
        this.startOffsets = Collections.unmodifiableMap(new TreeMap<>(b.startOffsets));
        this.maxRecords = b.maxRecords;
        this.dryRun = b.dryRun;
        this.acceptOutOfOrder = b.acceptOutOfOrder;
        this.orderCheckLimit = b.orderCheckLimit;
    }

    /**
     * @param topic the source topic whose dead letters to re-drive, e.g. {@code lerian.streaming.transaction.created}
     *        (not the {@code .dlq} topic)
     * @param operator who asks for the run, written in the audit log line
     * @return a builder
     */
    public static Builder builder(String topic, String operator) {
        return new Builder(topic, operator);
    }

    /** @return the source topic */
    public String topic() {
        return topic;
    }

    /** @return the dead-letter topic read, {@code <topic>.dlq} */
    public String dlqTopic() {
        return Topics.dlqTopic(topic);
    }

    /** @return who asked for the run */
    public String operator() {
        return operator;
    }

    /** @return the partition keys (record keys, UTF-8) to re-drive; empty for every key */
    public Set<String> keys() {
        return keys;
    }

    /** @return the first dead-letter timestamp re-driven, if limited */
    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    /** @return the dead-letter timestamp from which nothing is re-driven, if limited */
    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    /** @return the offset to start from, per DLQ partition; partitions not listed start at {@code from} or the start */
    public Map<Integer, Long> startOffsets() {
        return startOffsets;
    }

    /** @return the most records to re-drive in this run ({@link Long#MAX_VALUE} when unlimited) */
    public long maxRecords() {
        return maxRecords;
    }

    /** @return whether the run only reads and reports what it would send */
    public boolean dryRun() {
        return dryRun;
    }

    /** @return whether the operator accepts that re-driven events land behind newer events of their key */
    public boolean acceptOutOfOrder() {
        return acceptOutOfOrder;
    }

    /** @return how many records (DLQ and source topic) the order check reads at most before refusing for want of an answer */
    public long orderCheckLimit() {
        return orderCheckLimit;
    }

    @Override
    public String toString() {
        return "RedriveRequest{topic=" + topic + ", operator=" + operator + ", keys=" + keys + ", from=" + from
                + ", to=" + to + ", startOffsets=" + startOffsets + ", maxRecords=" + maxRecords + ", dryRun="
                + dryRun + ", acceptOutOfOrder=" + acceptOutOfOrder + ", orderCheckLimit=" + orderCheckLimit + "}";
    }

    /** Builds a {@link RedriveRequest}; {@link #build()} checks it. */
    public static final class Builder {

        private final String topic;
        private final String operator;
        private final Set<String> keys = new LinkedHashSet<>();
        private Instant from;
        private Instant to;
        private final Map<Integer, Long> startOffsets = new TreeMap<>();
        private long maxRecords = Long.MAX_VALUE;
        private boolean dryRun;
        private boolean acceptOutOfOrder;
        private long orderCheckLimit = DEFAULT_ORDER_CHECK_LIMIT;

        private Builder(String topic, String operator) {
            this.topic = topic;
            this.operator = operator;
        }

        /**
         * Re-drives only records with this key; call once per key. No key: every key.
         *
         * @param key a partition key, e.g. a tenant id
         * @return this builder
         */
        public Builder key(String key) {
            keys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * @param keys partition keys to re-drive, added to those already given
         * @return this builder
         */
        public Builder keys(Iterable<String> keys) {
            keys.forEach(this::key);
            return this;
        }

        /**
         * @param from the first dead-letter timestamp to re-drive (included); {@code null} for no lower bound
         * @return this builder
         */
        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        /**
         * @param to the dead-letter timestamp from which nothing is re-driven (excluded); {@code null} for no bound
         * @return this builder
         */
        public Builder to(Instant to) {
            this.to = to;
            return this;
        }

        /**
         * @param partition a partition of the DLQ topic
         * @param offset the offset to start reading it at, e.g. from {@link RedriveResult#nextOffsets()}
         * @return this builder
         */
        public Builder startOffset(int partition, long offset) {
            startOffsets.put(partition, offset);
            return this;
        }

        /**
         * @param offsets offsets to start at, per DLQ partition
         * @return this builder
         */
        public Builder startOffsets(Map<Integer, Long> offsets) {
            offsets.forEach(this::startOffset);
            return this;
        }

        /**
         * @param max the most records to re-drive (greater than 0); the run stops there and reports where to resume
         * @return this builder
         */
        public Builder maxRecords(long max) {
            this.maxRecords = max;
            return this;
        }

        /**
         * @param dryRun read and report what would be sent, the order check included, and send nothing
         * @return this builder
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * @param accept re-drive even when an event lands behind newer events of its key on the source topic, and
         *        skip the check that finds out
         * @return this builder
         */
        public Builder acceptOutOfOrder(boolean accept) {
            this.acceptOutOfOrder = accept;
            return this;
        }

        /**
         * @param limit how many records the order check may read (greater than 0): the whole DLQ topic, for the dead
         *        letters re-driven earlier, and the source topic from the earliest selected failure; when the records
         *        to check are more, the run is refused unless out-of-order is accepted
         * @return this builder
         */
        public Builder orderCheckLimit(long limit) {
            this.orderCheckLimit = limit;
            return this;
        }

        /**
         * @return the request
         * @throws StreamingException {@link ErrorCode#INVALID_REDRIVE_REQUEST} when the topic or the operator is blank,
         *         the topic is itself a DLQ topic, the range is empty, an offset is negative or a limit not positive
         */
        public RedriveRequest build() {
            if (topic == null || topic.isBlank()) {
                throw invalid("the source topic is required");
            }
            if (topic.endsWith(Topics.DLQ_SUFFIX)) {
                throw invalid("topic " + topic + " is a dead-letter topic; name the source topic, whose "
                        + Topics.DLQ_SUFFIX + " topic is read");
            }
            if (operator == null || operator.isBlank()) {
                throw invalid("the operator is required: every re-drive is audited under its name");
            }
            if (from != null && to != null && !from.isBefore(to)) {
                throw invalid("from " + from + " is not before to " + to);
            }
            startOffsets.forEach((partition, offset) -> {
                if (partition < 0 || offset < 0) {
                    throw invalid("start offset " + partition + ":" + offset + " is negative");
                }
            });
            if (maxRecords <= 0) {
                throw invalid("maxRecords " + maxRecords + " must be greater than 0");
            }
            if (orderCheckLimit <= 0) {
                throw invalid("orderCheckLimit " + orderCheckLimit + " must be greater than 0");
            }
            return new RedriveRequest(this);
        }

        private static StreamingException invalid(String detail) {
            return new StreamingException(ErrorCode.INVALID_REDRIVE_REQUEST, detail);
        }
    }
}
