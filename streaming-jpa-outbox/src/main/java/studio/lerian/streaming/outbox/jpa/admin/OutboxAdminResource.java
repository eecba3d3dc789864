package studio.lerian.streaming.outbox.jpa.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;

/**
 * The {@link OutboxAdmin} over HTTP, for applications that opt in: this class has no {@code @Path}, so a JAX-RS
 * runtime scanning the application's libraries never deploys it by itself. An application enables it with a subclass
 * that names its path and the role its operators must have:
 *
 * <pre>{@code
 * @Path("/ops/outbox")
 * @RolesAllowed("outbox-operator")   // optional: the container's own check, in addition
 * public class OutboxOps extends OutboxAdminResource {
 *     @Override
 *     protected String requiredRole() {
 *         return "outbox-operator";
 *     }
 * }
 * }</pre>
 *
 * <p>Every method first checks the caller: no authenticated principal answers {@code 401}, a principal without
 * {@link #requiredRole()} (or a blank role) answers {@code 403}, before anything is read or changed. The operator of
 * the audit line is the principal's name. A malformed request answers {@code 400} with {@code {"error": "..."}}.
 * Bodies are JSON through the runtime's JSON-B provider.
 *
 * <ul>
 *   <li>{@code GET counts}: {@link CountsView}</li>
 *   <li>{@code GET problems?status=FAILED&status=INVALID&topic=...&afterSeq=0&limit=100}: {@link ProblemPage}</li>
 *   <li>{@code POST requeue}, body {@link RequeueRequest}: {@link RequeueResult}</li>
 *   <li>{@code POST purge}, body {@link PurgeBody}: {@link PurgeView}</li>
 * </ul>
 */
public abstract class OutboxAdminResource {

    @Inject
    OutboxAdmin admin;

    /**
     * The role a caller must have, checked with {@link SecurityContext#isUserInRole} on every request.
     *
     * @return the role's name; a {@code null} or blank role refuses every caller
     */
    protected abstract String requiredRole();

    /** @return the admin the resource acts through: the injected bean unless a subclass gives another */
    protected OutboxAdmin admin() {
        return admin;
    }

    /**
     * @param security the request's security context
     * @return {@code 200} with the counts
     */
    @GET
    @Path("counts")
    @Produces(MediaType.APPLICATION_JSON)
    public Response counts(@Context SecurityContext security) {
        return authorized(security, operator -> CountsView.of(admin().counts(operator)));
    }

    /**
     * @param security the request's security context
     * @param statuses {@code FAILED} and/or {@code INVALID}; both when none is given
     * @param topic only rows of this topic, when given
     * @param afterSeq the previous page's {@code nextAfterSeq}; 0 for the first page
     * @param limit rows per page, 1 to {@value ProblemQuery#MAX_LIMIT}
     * @return {@code 200} with the page
     */
    @GET
    @Path("problems")
    @Produces(MediaType.APPLICATION_JSON)
    public Response problems(@Context SecurityContext security, @QueryParam("status") List<String> statuses,
            @QueryParam("topic") String topic, @QueryParam("afterSeq") @DefaultValue("0") long afterSeq,
            @QueryParam("limit") @DefaultValue("" + ProblemQuery.DEFAULT_LIMIT) int limit) {
        return authorized(security, operator -> {
            ProblemQuery.Builder query = ProblemQuery.builder().topic(topic).afterSeq(afterSeq).limit(limit);
            if (statuses != null && !statuses.isEmpty()) {
                query.statuses(parse(statuses));
            }
            return admin().problems(operator, query.build());
        });
    }

    /**
     * @param security the request's security context
     * @param body the selection
     * @return {@code 200} with the counts of requeued and skipped rows
     */
    @POST
    @Path("requeue")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response requeue(@Context SecurityContext security, RequeueRequest body) {
        return authorized(security, operator -> {
            if (body == null) {
                throw AdminRequests.invalid("requeue: a JSON body is required");
            }
            RequeueSelection.Builder selection = RequeueSelection.builder().ids(body.ids()).topic(body.topic())
                    .createdBetween(body.createdFrom(), body.createdTo())
                    .allowOutOfOrder(Boolean.TRUE.equals(body.allowOutOfOrder()));
            if (body.statuses() != null) {
                selection.statuses(parse(body.statuses()));
            }
            return admin().requeue(operator, selection.build());
        });
    }

    /**
     * @param security the request's security context
     * @param body the age and statuses
     * @return {@code 200} with the rows deleted per status
     */
    @POST
    @Path("purge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response purge(@Context SecurityContext security, PurgeBody body) {
        return authorized(security, operator -> {
            if (body == null || body.olderThan() == null) {
                throw AdminRequests.invalid("purge: olderThan is required, an ISO-8601 duration such as P30D");
            }
            Duration olderThan;
            try {
                olderThan = Duration.parse(body.olderThan());
            } catch (DateTimeParseException e) {
                throw AdminRequests.invalid("purge: olderThan is not an ISO-8601 duration: " + body.olderThan());
            }
            OutboxStatus[] statuses = body.statuses() == null ? new OutboxStatus[0] : parse(body.statuses());
            return PurgeView.of(admin().purge(operator, PurgeRequest.olderThan(olderThan, statuses)));
        });
    }

    /**
     * The body of {@code POST requeue}: the criteria given narrow the selection, at least one is required.
     *
     * @param ids the rows' ids
     * @param topic the rows' topic
     * @param createdFrom rows created at or after this (ISO-8601 instant)
     * @param createdTo rows created before this
     * @param statuses {@code FAILED} (the default) and/or {@code INVALID}
     * @param allowOutOfOrder requeue rows whose key has a newer row published or claimed; {@code false} by default
     */
    public record RequeueRequest(List<String> ids, String topic, Instant createdFrom, Instant createdTo,
            List<String> statuses, Boolean allowOutOfOrder) {
    }

    /**
     * The body of {@code POST purge}.
     *
     * @param olderThan an ISO-8601 duration, such as {@code P30D} or {@code PT12H}; positive
     * @param statuses among {@code PUBLISHED}, {@code FAILED}, {@code INVALID}; all three when absent
     */
    public record PurgeBody(String olderThan, List<String> statuses) {
    }

    /**
     * {@link OutboxCounts} in JSON: statuses by name, ages in milliseconds.
     *
     * @param at when the counts were read
     * @param byStatus rows per status
     * @param byTopic rows per topic and status
     * @param oldestAgeMs per status, the age of its oldest row in milliseconds
     */
    public record CountsView(Instant at, Map<String, Long> byStatus, Map<String, Map<String, Long>> byTopic,
            Map<String, Long> oldestAgeMs) {

        static CountsView of(OutboxCounts counts) {
            Map<String, Map<String, Long>> topics = new TreeMap<>();
            counts.byTopic().forEach((topic, m) -> topics.put(topic, names(m, Function.identity())));
            return new CountsView(counts.at(), names(counts.byStatus(), Function.identity()), topics,
                    names(counts.oldestAge(), Duration::toMillis));
        }
    }

    /**
     * {@link PurgeResult} in JSON.
     *
     * @param deleted rows deleted per status name
     * @param total all rows deleted
     */
    public record PurgeView(Map<String, Long> deleted, long total) {

        static PurgeView of(PurgeResult result) {
            return new PurgeView(names(result.deleted(), Function.identity()), result.total());
        }
    }

    /**
     * The body of a refusal.
     *
     * @param error what was wrong
     */
    public record ErrorView(String error) {
    }

    private static <V> Map<String, Long> names(Map<OutboxStatus, V> byStatus, Function<V, Long> value) {
        Map<String, Long> out = new TreeMap<>();
        byStatus.forEach((status, v) -> out.put(status.name(), value.apply(v)));
        return out;
    }

    private static OutboxStatus[] parse(List<String> statuses) {
        OutboxStatus[] parsed = new OutboxStatus[statuses.size()];
        for (int i = 0; i < parsed.length; i++) {
            String s = statuses.get(i);
            try {
                parsed[i] = OutboxStatus.valueOf(s == null ? "" : s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw AdminRequests.invalid("unknown status: " + s);
            }
        }
        return parsed;
    }

    /**
     * Checks the caller before any work: 401 without a principal, 403 without the role; then runs the operation as
     * the principal, answering 400 for a request that is the caller's to correct.
     */
    private Response authorized(SecurityContext security, Function<String, Object> operation) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            return refusal(Response.Status.UNAUTHORIZED, "authentication required");
        }
        String role = requiredRole();
        if (role == null || role.isBlank() || !security.isUserInRole(role)) {
            return refusal(Response.Status.FORBIDDEN, "the outbox admin role is required");
        }
        try {
            return Response.ok(operation.apply(principal.getName())).build();
        } catch (StreamingException e) {
            if (StreamingErrors.isCallerError(e)) {
                return refusal(Response.Status.BAD_REQUEST, e.getMessage());
            }
            throw e;
        }
    }

    private static Response refusal(Response.Status status, String error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorView(error)).build();
    }
}
