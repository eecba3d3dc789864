package studio.lerian.streaming.outbox.jpa.admin;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;

/**
 * Which finished rows {@link OutboxAdmin#purge} deletes: of the given statuses ({@code PUBLISHED}, {@code FAILED},
 * {@code INVALID}; all three by default; never an open one), finished longer ago than {@link #olderThan()}.
 */
public final class PurgeRequest {

    private static final Set<OutboxStatus> FINISHED = Set.of(OutboxStatus.PUBLISHED, OutboxStatus.FAILED,
            OutboxStatus.INVALID);

    private final Duration olderThan;
    private final Set<OutboxStatus> statuses;

    private PurgeRequest(Duration olderThan, java.util.Collection<OutboxStatus> statuses) {
        if (olderThan == null || olderThan.isNegative() || olderThan.isZero()) {
            throw AdminRequests.invalid("purge: olderThan must be a positive duration, not " + olderThan);
        }
        this.olderThan = olderThan;
        this.statuses = AdminRequests.statuses(statuses, FINISHED, "purge");
    }

    /**
     * @param olderThan how long ago a row must have finished to be deleted; positive
     * @param statuses which finished statuses to delete; none given means all three
     * @return the request
     * @throws studio.lerian.streaming.StreamingException {@code INVALID_ADMIN_REQUEST} for a duration that is not
     *         positive, or a status that is {@code PENDING} or {@code PROCESSING}
     */
    public static PurgeRequest olderThan(Duration olderThan, OutboxStatus... statuses) {
        Objects.requireNonNull(statuses, "statuses");
        return new PurgeRequest(olderThan, statuses.length == 0 ? EnumSet.copyOf(FINISHED)
                : java.util.Arrays.asList(statuses)
                .stream().collect(java.util.stream.Collectors.toSet()));
    }

    /** @return the age a finished row must exceed */
    public Duration olderThan() {
        return olderThan;
    }

    /** @return the statuses deleted */
    public Set<OutboxStatus> statuses() {
        return statuses;
    }

    @Override
    public String toString() {
        return "PurgeRequest{olderThan=" + olderThan + ", statuses=" + statuses + "}";
    }
}
