package studio.lerian.streaming.examples.liberty;

import jakarta.enterprise.context.RequestScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import studio.lerian.streaming.outbox.jpa.OutboxEventEntity;

/**
 * {@code GET /outbox}: the outbox rows by status, and the number of payments, straight from the database. Shows what
 * the transactions did: a rolled-back request leaves neither a payment nor a row.
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

    @GET
    public Counts counts() {
        Map<String, Long> byStatus = new TreeMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT status, COUNT(*) FROM " + OutboxEventEntity.TABLE
                + " GROUP BY status").getResultList();
        for (Object[] r : rows) {
            byStatus.put(String.valueOf(r[0]), ((Number) r[1]).longValue());
        }
        long payments = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM payments").getSingleResult()).longValue();
        return new Counts(payments, byStatus);
    }
}
