package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.persistence.EntityManagerFactory;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import java.io.StringReader;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.glassfish.hk2.utilities.binding.AbstractBinder;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import studio.lerian.streaming.outbox.jpa.admin.OutboxAdmin;
import studio.lerian.streaming.outbox.jpa.admin.OutboxAdminResource;

/**
 * The admin resource in a real Jakarta REST runtime (Jersey on the JDK's HTTP server, JSON-B through Yasson) over H2:
 * an application's subclass deploys it at its path; callers without a principal or without the role are refused
 * before anything changes; an operator's requests act as that principal and come back as JSON.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxAdminResourceTest {

    static final String ROLE = "outbox-operator";
    static final Instant T0 = Instant.parse("2026-04-18T10:00:00Z");

    /** What an application writes to enable the resource. */
    @Path("/ops/outbox")
    public static class OutboxOps extends OutboxAdminResource {
        @Override
        protected String requiredRole() {
            return ROLE;
        }
    }

    /**
     * The test's authentication: the user and roles of a request come from its headers, as a real authentication
     * filter would set them from a token.
     */
    public static class HeaderAuthentication implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String user = request.getHeaderString("X-User");
            String roles = request.getHeaderString("X-Roles");
            Set<String> granted = roles == null ? Set.of() : Set.of(roles.split(","));
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return user == null ? null : () -> user;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return user != null && granted.contains(role);
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "header";
                }
            });
        }
    }

    TestDatabase db;
    EntityManagerFactory emf;
    final TestClock clock = new TestClock(T0);
    HttpServer server;
    URI base;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        db = new TestDatabase.H2();
        db.applyShippedDdl();
        emf = db.factory();
        OutboxAdmin admin = new OutboxAdmin(emf, clock);
        ResourceConfig app = new ResourceConfig(OutboxOps.class, HeaderAuthentication.class)
                .register(new AbstractBinder() {
                    @Override
                    protected void configure() {
                        bind(admin).to(OutboxAdmin.class); // what CDI does in a container
                    }
                });
        server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), app);
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ops/outbox/");
    }

    @AfterAll
    void stop() throws SQLException {
        if (server != null) {
            server.stop(0);
        }
        emf.close();
        db.close();
    }

    @BeforeEach
    void emptyTable() throws SQLException {
        clock.set(T0);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM lerian_streaming_outbox");
        }
    }

    @Test
    void theResourceIsAbstractAndHasNoPathOfItsOwn() {
        assertTrue(Modifier.isAbstract(OutboxAdminResource.class.getModifiers()));
        assertFalse(OutboxAdminResource.class.isAnnotationPresent(Path.class),
                "scanning the library must not deploy it");
    }

    @Test
    void callersWithoutAPrincipalOrTheRoleAreRefusedBeforeAnythingChanges() throws Exception {
        String id = failedRow("k1");

        HttpResponse<String> anonymous = post("requeue", "{\"ids\":[\"" + id + "\"]}", null, null);
        HttpResponse<String> withoutRole = post("requeue", "{\"ids\":[\"" + id + "\"]}", "mallory", "reader");
        HttpResponse<String> countsWithoutRole = get("counts", "mallory", "reader");
        HttpResponse<String> purgeAnonymous = post("purge", "{\"olderThan\":\"PT1S\"}", null, null);

        assertEquals(401, anonymous.statusCode());
        assertEquals(403, withoutRole.statusCode());
        assertEquals(403, countsWithoutRole.statusCode());
        assertEquals(401, purgeAnonymous.statusCode());
        assertEquals("FAILED", status(id));
        assertEquals("the outbox admin role is required", json(withoutRole).getString("error"));
    }

    @Test
    void anOperatorRequeuesAndPurgesAsThemselves() throws Exception {
        String id = failedRow("k1");
        String old = failedRow("k2");
        clock.advance(Duration.ofDays(2));

        HttpResponse<String> requeued = post("requeue", "{\"ids\":[\"" + id + "\"]}", "alice", ROLE);

        assertEquals(200, requeued.statusCode(), requeued.body());
        assertEquals(1, json(requeued).getInt("requeued"));
        assertEquals("PENDING", status(id));
        assertTrue(lastError(id).startsWith("requeued by alice at "), lastError(id));

        HttpResponse<String> purged = post("purge", "{\"olderThan\":\"P1D\",\"statuses\":[\"FAILED\"]}", "alice",
                ROLE);

        assertEquals(200, purged.statusCode(), purged.body());
        assertEquals(1, json(purged).getJsonObject("deleted").getInt("FAILED"));
        assertEquals(0, db.count("SELECT count(*) FROM lerian_streaming_outbox WHERE id = '" + old + "'"));
    }

    @Test
    void countsAndProblemsComeBackAsJson() throws Exception {
        String first = failedRow("k1");
        String second = failedRow("k2");
        clock.advance(Duration.ofMinutes(3));

        JsonObject counts = json(get("counts", "alice", ROLE));
        JsonObject page = json(get("problems?status=FAILED&limit=1", "alice", ROLE));
        JsonObject next = json(get("problems?status=failed&limit=1&afterSeq=" + page.getJsonNumber("nextAfterSeq"),
                "alice", ROLE));

        assertEquals(2, counts.getJsonObject("byStatus").getInt("FAILED"));
        assertEquals(Duration.ofMinutes(3).toMillis(), counts.getJsonObject("oldestAgeMs").getJsonNumber("FAILED")
                .longValue());
        assertEquals(first, page.getJsonArray("rows").getJsonObject(0).getString("id"));
        assertEquals("broker said no", page.getJsonArray("rows").getJsonObject(0).getString("lastError"));
        assertFalse(page.getJsonArray("rows").getJsonObject(0).containsKey("envelope"));
        assertEquals(second, next.getJsonArray("rows").getJsonObject(0).getString("id"));
    }

    @Test
    void malformedRequestsAreAnsweredWithBadRequest() throws Exception {
        assertEquals(400, post("requeue", "{}", "alice", ROLE).statusCode(), "nothing selected");
        assertEquals(400, post("purge", "{\"olderThan\":\"PT0S\"}", "alice", ROLE).statusCode());
        assertEquals(400, post("purge", "{\"olderThan\":\"a week\"}", "alice", ROLE).statusCode());
        assertEquals(400, post("purge", "{\"olderThan\":\"P1D\",\"statuses\":[\"PENDING\"]}", "alice", ROLE)
                .statusCode());
        HttpResponse<String> badStatus = get("problems?status=LOST", "alice", ROLE);
        assertEquals(400, badStatus.statusCode());
        assertTrue(json(badStatus).getString("error").contains("unknown status: LOST"), badStatus.body());
    }

    // ---- helpers ----

    private String failedRow(String key) throws SQLException {
        String id = java.util.UUID.randomUUID().toString();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
            TestDatabase.bindPendingRow(ps, id, java.util.UUID.randomUUID().toString(), key, "lerian.streaming.t",
                    "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), clock.instant().atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("UPDATE lerian_streaming_outbox"
                + " SET status = 'FAILED', attempts = 7, last_error = 'broker said no' WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        return id;
    }

    private String status(String id) throws SQLException {
        return column("status", id);
    }

    private String lastError(String id) throws SQLException {
        return column("last_error", id);
    }

    private String column(String column, String id) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT " + column
                + " FROM lerian_streaming_outbox WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private HttpResponse<String> get(String path, String user, String roles) throws Exception {
        return http.send(request(path, user, roles).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String user, String roles) throws Exception {
        return http.send(request(path, user, roles).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String user, String roles) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            b.header("X-User", user);
        }
        if (roles != null) {
            b.header("X-Roles", roles);
        }
        return b;
    }

    private static JsonObject json(HttpResponse<String> response) {
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }
}
