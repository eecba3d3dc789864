package studio.lerian.streaming.examples.liberty;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import studio.lerian.streaming.outbox.jpa.admin.OutboxAdminResource;

/**
 * The outbox's administration over HTTP, under {@code /ops/outbox}: counts, failed and refused rows, requeue and
 * purge. The library's resource is abstract, so it exists only because this subclass names its path and the role
 * its operators need; {@code web.xml} makes the server ask for credentials there, and {@code server.xml} maps the role.
 */
@Path("/ops/outbox")
@RolesAllowed(OutboxOps.ROLE)
public class OutboxOps extends OutboxAdminResource {

    /** The role an operator needs. */
    static final String ROLE = "outbox-operator";

    @Override
    protected String requiredRole() {
        return ROLE;
    }
}
