package studio.lerian.streaming.tck.runners.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import studio.lerian.streaming.outbox.jpa.OutboxEventEntity;
import studio.lerian.streaming.tck.spi.TckOutbox;

/**
 * In every TCK deployment: the TCK's view of the reference outbox table, by plain JDBC on the run's datasource (so no
 * persistence context caches rows between the TCK and the database). A row holds an event when its envelope, JSON
 * text, carries that {@code "EventID"}.
 */
public class ReferenceOutboxReader implements TckOutbox {

    private final OutboxDatabase db = OutboxDatabase.ofDeployment();

    @Override
    public List<State> rowsOf(String eventId) {
        String envelope = db.isPostgresql() ? "convert_from(envelope, 'UTF8')" : "UTF8TOSTRING(envelope)";
        String sql = "SELECT status FROM " + OutboxEventEntity.TABLE + " WHERE " + envelope + " LIKE ? ORDER BY seq";
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "%\"EventID\":\"" + eventId + "\"%");
            List<State> states = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.add(State.valueOf(rs.getString(1)));
                }
            }
            return states;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox table on " + db + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long unpublished() {
        String sql = "SELECT COUNT(*) FROM " + OutboxEventEntity.TABLE + " WHERE status IN ('PENDING', 'PROCESSING')";
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox table on " + db + ": " + e.getMessage(), e);
        }
    }
}
