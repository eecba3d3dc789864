package studio.lerian.streaming.outbox.jpa.admin;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;

/**
 * Which finished rows {@link OutboxAdmin#requeue} returns to {@code PENDING}: those of the given ids, of a topic, and
 * created in a time range {@code [createdFrom, createdTo)}, each criterion given narrowing the selection, at least one
 * given; of the statuses chosen, {@code FAILED} only unless {@code INVALID} is asked for (an {@code INVALID} row is
 * refused again unless its cause was fixed). By default a row whose key already has a newer row published or claimed
 * is left alone, see {@link OutboxAdmin#requeue}.
 */
public final class RequeueSelection {

    private static final Set<OutboxStatus> REQUEUABLE = Set.of(OutboxStatus.FAILED, OutboxStatus.INVALID);

    private final Set<String> ids;
    private final String topic;
    private final Instant createdFrom;
    private final Instant createdTo;
    private final Set<OutboxStatus> statuses;
    private final boolean allowOutOfOrder;

    private RequeueSelection(Builder b) {
        if (b.ids != null && (b.ids.isEmpty() || b.ids.contains(null))) {
            throw AdminRequests.invalid("requeue: the id list is empty or holds a null");
        }
        this.ids = b.ids == null ? null : Set.copyOf(b.ids);
        this.topic = AdminRequests.topic(b.topic);
        this.createdFrom = b.createdFrom;
        this.createdTo = b.createdTo;
        this.statuses = AdminRequests.statuses(b.statuses, REQUEUABLE, "requeue");
        this.allowOutOfOrder = b.allowOutOfOrder;
        if (ids == null && topic == null && createdFrom == null && createdTo == null) {
            throw AdminRequests.invalid("requeue: select rows by ids, topic or creation time (the whole table is "
                    + "never requeued by accident; to take every row, give createdFrom = Instant.EPOCH)");
        }
        if (createdFrom != null && createdTo != null && !createdFrom.isBefore(createdTo)) {
            throw AdminRequests.invalid("requeue: createdFrom " + createdFrom + " is not before createdTo "
                    + createdTo);
        }
    }

    /** @return a builder, selecting nothing yet, {@code FAILED} rows only, keeping each key's order */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the ids, or {@code null} when not selecting by id */
    public Set<String> ids() {
        return ids;
    }

    /** @return the topic, or {@code null} for every topic */
    public String topic() {
        return topic;
    }

    /** @return the inclusive lower bound of {@code created_at}, or {@code null} */
    public Instant createdFrom() {
        return createdFrom;
    }

    /** @return the exclusive upper bound of {@code created_at}, or {@code null} */
    public Instant createdTo() {
        return createdTo;
    }

    /** @return the statuses requeued */
    public Set<OutboxStatus> statuses() {
        return statuses;
    }

    /** @return whether rows whose key has a newer published or claimed row are requeued too */
    public boolean allowOutOfOrder() {
        return allowOutOfOrder;
    }

    @Override
    public String toString() {
        return "RequeueSelection{ids=" + (ids == null ? "-" : ids.size()) + ", topic=" + topic + ", createdFrom="
                + createdFrom + ", createdTo=" + createdTo + ", statuses=" + statuses + ", allowOutOfOrder="
                + allowOutOfOrder + "}";
    }

    /** Builds a {@link RequeueSelection}; {@link #build()} refuses an empty or inconsistent selection. */
    public static final class Builder {
        private Set<String> ids;
        private String topic;
        private Instant createdFrom;
        private Instant createdTo;
        private Set<OutboxStatus> statuses = EnumSet.of(OutboxStatus.FAILED);
        private boolean allowOutOfOrder;

        private Builder() {
        }

        /**
         * @param ids the rows' ids
         * @return this builder
         */
        public Builder ids(java.util.Collection<String> ids) {
            this.ids = ids == null ? null : new LinkedHashSet<>(ids);
            return this;
        }

        /**
         * @param ids the rows' ids
         * @return this builder
         */
        public Builder ids(String... ids) {
            return ids(ids == null ? null : java.util.Arrays.asList(ids));
        }

        /**
         * @param topic only rows of this topic
         * @return this builder
         */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /**
         * @param from rows created at or after this ({@code null}: no lower bound)
         * @param to rows created before this ({@code null}: no upper bound)
         * @return this builder
         */
        public Builder createdBetween(Instant from, Instant to) {
            this.createdFrom = from;
            this.createdTo = to;
            return this;
        }

        /**
         * @param statuses {@code FAILED} (the default), {@code INVALID}, or both
         * @return this builder
         */
        public Builder statuses(OutboxStatus... statuses) {
            this.statuses = statuses == null ? null : new java.util.HashSet<>(java.util.Arrays.asList(statuses));
            return this;
        }

        /**
         * Requeues rows even when their key has a newer row published or claimed: consumers then see the requeued
         * event after that newer one. Off by default.
         *
         * @param allow whether to
         * @return this builder
         */
        public Builder allowOutOfOrder(boolean allow) {
            this.allowOutOfOrder = allow;
            return this;
        }

        /**
         * @return the selection
         * @throws studio.lerian.streaming.StreamingException {@code INVALID_ADMIN_REQUEST} when nothing is selected,
         *         the id list is empty, a status is not {@code FAILED} or {@code INVALID}, the topic is blank or the
         *         time range is empty
         */
        public RequeueSelection build() {
            return new RequeueSelection(this);
        }
    }
}
