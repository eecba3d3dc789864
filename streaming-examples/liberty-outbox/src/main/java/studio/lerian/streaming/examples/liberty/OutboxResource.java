package studio.lerian.streaming.examples.liberty;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.TreeMap;
import studio.lerian.streaming.outbox.jpa.admin.OutboxAdmin;
import studio.lerian.streaming.outbox.jpa.admin.OutboxCounts;

/**
 * {@code GET /outbox}: the outbox rows by status, and the number of payments, straight from the database. Shows what
 * the transactions did: a rolled-back request leaves neither a payment nor a row. Open to anyone, for the demo; the
 * operators' endpoints are under {@code /ops/outbox} ({@link OutboxOps}).
 */
@Path("/outbox")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class OutboxResource {

    /**
     * @param payments rows of the payments table
     * @param outbox rows of the outbox table by status
     */
    public record Counts(long payments, Map<String, Long> outbox) {
    }

    @PersistenceContext(unitName = "payments")
    EntityManager em;

    @Inject
    OutboxAdmin admin;

    @GET
    public Counts counts() {
        OutboxCounts counts = admin.counts("demo-page");
        Map<String, Long> byStatus = new TreeMap<>();
        counts.byStatus().forEach((status, n) -> byStatus.put(status.name(), n));
        long payments = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM payments").getSingleResult()).longValue();
        return new Counts(payments, byStatus);
    }
}
