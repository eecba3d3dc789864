package studio.lerian.streaming.tck.runners.liberty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import studio.lerian.streaming.tck.spi.TckOutbox;

/**
 * In every TCK deployment: the TCK's read access to the reference outbox table, through plain JDBC on the server's
 * datasource (no JPA cache between the TCK and the rows). A row holds an event when its envelope JSON carries that
 * {@code "EventID"}.
 */
public class ReferenceOutboxReader implements TckOutbox {

    private final OutboxDatabase db = OutboxDatabase.ofDeployment();

    @Override
    public List<State> rowsOf(String eventId) {
        String envelopeText = db == OutboxDatabase.POSTGRESQL ? "convert_from(envelope, 'UTF8')"
                : "UTF8TOSTRING(envelope)";
        String sql = "SELECT status FROM lerian_streaming_outbox WHERE " + envelopeText + " LIKE ? ORDER BY seq";
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "%\"EventID\":\"" + eventId + "\"%");
            List<State> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(State.valueOf(rs.getString(1)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox table: " + e.getMessage(), e);
        }
    }

    @Override
    public long unpublished() {
        String sql = "SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN ('PENDING', 'PROCESSING')";
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox table: " + e.getMessage(), e);
        }
    }
}
