package studio.lerian.streaming.outbox.jpa.admin;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;

/** Checks shared by the admin's requests: each refusal is an {@link ErrorCode#INVALID_ADMIN_REQUEST}. */
final class AdminRequests {

    private AdminRequests() {
    }

    static StreamingException invalid(String detail) {
        return new StreamingException(ErrorCode.INVALID_ADMIN_REQUEST, detail);
    }

    /** The statuses, checked to be non-empty and within those allowed. */
    static Set<OutboxStatus> statuses(Collection<OutboxStatus> given, Set<OutboxStatus> allowed, String what) {
        if (given == null || given.isEmpty()) {
            throw invalid(what + ": at least one status is required, among " + allowed);
        }
        for (OutboxStatus s : given) {
            if (s == null || !allowed.contains(s)) {
                throw invalid(what + ": status " + s + " is not one of " + allowed);
            }
        }
        return Set.copyOf(EnumSet.copyOf(given));
    }

    /** A topic filter: {@code null} for none; a blank one is refused rather than matching nothing. */
    static String topic(String topic) {
        if (topic != null && topic.isBlank()) {
            throw invalid("the topic filter is blank");
        }
        return topic;
    }
}
