package studio.lerian.streaming.outbox.jpa.admin;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;

/**
 * Which {@code FAILED} and {@code INVALID} rows {@link OutboxAdmin#problems} lists: by status (both by default),
 * optionally of one topic, in {@code seq} order after a cursor, at most {@link #limit()} of them.
 */
public final class ProblemQuery {

    /** The page size when none is given: {@value}. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest page: {@value}. */
    public static final int MAX_LIMIT = 1000;
    private static final Set<OutboxStatus> PROBLEMS = Set.of(OutboxStatus.FAILED, OutboxStatus.INVALID);

    private final Set<OutboxStatus> statuses;
    private final String topic;
    private final long afterSeq;
    private final int limit;

    private ProblemQuery(Builder b) {
        this.statuses = AdminRequests.statuses(b.statuses, PROBLEMS, "problems");
        this.topic = AdminRequests.topic(b.topic);
        if (b.afterSeq < 0) {
            throw AdminRequests.invalid("problems: afterSeq must not be negative, not " + b.afterSeq);
        }
        if (b.limit < 1 || b.limit > MAX_LIMIT) {
            throw AdminRequests.invalid("problems: limit must be from 1 to " + MAX_LIMIT + ", not " + b.limit);
        }
        this.afterSeq = b.afterSeq;
        this.limit = b.limit;
    }

    /** @return a query of both statuses, every topic, from the first row, {@value #DEFAULT_LIMIT} rows */
    public static ProblemQuery all() {
        return builder().build();
    }

    /** @return a builder with the defaults of {@link #all()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the statuses listed */
    public Set<OutboxStatus> statuses() {
        return statuses;
    }

    /** @return the topic filter, or {@code null} for every topic */
    public String topic() {
        return topic;
    }

    /** @return rows with a {@code seq} above this are listed (0: from the first) */
    public long afterSeq() {
        return afterSeq;
    }

    /** @return the most rows listed */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "ProblemQuery{statuses=" + statuses + ", topic=" + topic + ", afterSeq=" + afterSeq + ", limit=" + limit
                + "}";
    }

    /** Builds a {@link ProblemQuery}; {@link #build()} refuses what is out of range. */
    public static final class Builder {
        private Set<OutboxStatus> statuses = EnumSet.of(OutboxStatus.FAILED, OutboxStatus.INVALID);
        private String topic;
        private long afterSeq;
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        /**
         * @param statuses {@code FAILED}, {@code INVALID} or both (the default)
         * @return this builder
         */
        public Builder statuses(OutboxStatus... statuses) {
            this.statuses = statuses == null ? null : new java.util.HashSet<>(java.util.Arrays.asList(statuses));
            return this;
        }

        /**
         * @param topic only rows of this topic; {@code null} (the default) for every topic
         * @return this builder
         */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /**
         * @param afterSeq a page's {@link ProblemPage#nextAfterSeq()}, to read the next page; 0 (the default) reads
         *        from the first row
         * @return this builder
         */
        public Builder afterSeq(long afterSeq) {
            this.afterSeq = afterSeq;
            return this;
        }

        /**
         * @param limit rows per page, from 1 to {@value #MAX_LIMIT}; {@value #DEFAULT_LIMIT} by default
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * @return the query
         * @throws studio.lerian.streaming.StreamingException {@code INVALID_ADMIN_REQUEST} for a status other than
         *         {@code FAILED} or {@code INVALID}, a blank topic, a negative cursor or a limit out of range
         */
        public ProblemQuery build() {
            return new ProblemQuery(this);
        }
    }
}
