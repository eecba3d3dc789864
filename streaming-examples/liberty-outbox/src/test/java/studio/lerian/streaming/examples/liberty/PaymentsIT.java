package studio.lerian.streaming.examples.liberty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The example, deployed on a real Open Liberty server (started by the build before this test), answers as its README
 * says: a payment and its outbox row commit together; a request refused after the emit, or an event the library
 * refuses, leaves neither; the event's payload is the JSON-B form of {@link PaymentCaptured}; the tables come from the
 * Flyway migrations. The server parks every event ({@code outbox=always}) and has no broker, so every row stays in the
 * outbox where this test reads it (through H2's automatic mixed mode, beside the server).
 */
class PaymentsIT {

    private static final String BASE = "http://127.0.0.1:" + System.getProperty("it.http.port", "9080");
    private static final String H2_URL = System.getProperty("it.h2.url");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void aCapturedPaymentCommitsWithItsEventInTheOutbox() throws Exception {
        JsonObject before = counts();
        HttpResponse<String> created = post("/payments", "{\"merchantId\":\"m-it-1\",\"amountCents\":1500}");

        assertEquals(201, created.statusCode(), created.body());
        JsonObject payment = json(created.body());
        String id = payment.getString("id");
        assertEquals("m-it-1", payment.getString("merchantId"));
        assertEquals(1500, payment.getJsonNumber("amountCents").longValue());
        assertEquals("BRL", payment.getString("currency"));
        assertTrue(created.headers().firstValue("Location").orElseThrow().endsWith("/payments/" + id));

        HttpResponse<String> found = get("/payments/" + id);
        assertEquals(200, found.statusCode());
        assertEquals(payment, json(found.body()));

        JsonObject after = counts();
        assertEquals(payments(before) + 1, payments(after));
        assertEquals(outboxRows(before) + 1, outboxRows(after));
    }

    @Test
    void theEventPayloadIsTheJsonbFormOfPaymentCaptured() throws Exception {
        HttpResponse<String> created = post("/payments",
                "{\"merchantId\":\"m-it-2\",\"amountCents\":990,\"currency\":\"EUR\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject payment = json(created.body());

        JsonObject payload = storedPayload(payment.getString("id"));

        assertEquals(payment.getString("id"), payload.getString("paymentId"));
        assertEquals("m-it-2", payload.getString("merchantId"));
        assertEquals(990, payload.getJsonNumber("amountCents").longValue());
        assertEquals("EUR", payload.getString("currency"));
        // java.time through JSON-B: an ISO-8601 date-time, the one the payment answer carries.
        assertEquals(OffsetDateTime.parse(payment.getString("capturedAt")).toInstant(),
                OffsetDateTime.parse(payload.getString("capturedAt")).toInstant());
    }

    @Test
    void aPaymentRefusedAfterTheEmitRollsBackWithItsOutboxRow() throws Exception {
        JsonObject before = counts();

        HttpResponse<String> refused = post("/payments?failAfterEmit=true",
                "{\"merchantId\":\"m-it-3\",\"amountCents\":1500}");
        HttpResponse<String> negative = post("/payments", "{\"merchantId\":\"m-it-3\",\"amountCents\":-5}");

        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(json(refused.body()).getString("error").contains("rolled back"), refused.body());
        assertEquals(400, negative.statusCode(), negative.body());
        assertTrue(json(negative.body()).getString("error").contains("amountCents must be positive"));
        JsonObject after = counts();
        assertEquals(payments(before), payments(after));
        assertEquals(outboxRows(before), outboxRows(after));
    }

    @Test
    void anEventTheLibraryRefusesIsACallerErrorAndNothingIsSaved() throws Exception {
        JsonObject before = counts();

        // A tenant id with a control character: the emit throws a StreamingException (a caller error), the
        // transaction rolls back, the exception mapper answers 400.
        HttpResponse<String> refused = post("/payments", "{\"merchantId\":\"m-\\u0001\",\"amountCents\":100}");

        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(json(refused.body()).getString("error").startsWith("event not accepted, nothing was saved"),
                refused.body());
        JsonObject after = counts();
        assertEquals(payments(before), payments(after));
        assertEquals(outboxRows(before), outboxRows(after));
    }

    @Test
    void theTablesComeFromTheLibrarysAndTheApplicationsMigrations() throws Exception {
        try (Connection c = DriverManager.getConnection(H2_URL, "sa", "")) {
            assertEquals("2", scalar(c, "SELECT MAX(\"version\") FROM \"" + Migrations.OUTBOX_HISTORY
                    + "\" WHERE \"success\" AND \"type\" = 'SQL'"));
            assertEquals("1", scalar(c, "SELECT MAX(\"version\") FROM \"flyway_schema_history\" WHERE \"success\""
                    + " AND \"type\" = 'SQL'"));
        }
    }

    @Test
    void theOperatorsEndpointsAnswerOnlyAnAuthenticatedOperator() throws Exception {
        HttpResponse<String> anonymous = get("/ops/outbox/counts");
        HttpResponse<String> viewer = get("/ops/outbox/counts", "viewer", "viewer-demo-password");
        HttpResponse<String> operator = get("/ops/outbox/counts", "ops", "ops-demo-password");

        assertEquals(401, anonymous.statusCode());
        assertEquals(403, viewer.statusCode());
        assertEquals(200, operator.statusCode(), operator.body());
        JsonObject byStatus = json(operator.body()).getJsonObject("byStatus");
        JsonObject page = counts().getJsonObject("outbox");
        assertEquals(page.keySet(), byStatus.keySet());
    }

    @Test
    void anOperatorRequeuesAndPurgesThroughTheAdminResource() throws Exception {
        // No row has failed in this run (the relay keeps retrying the parked ones): a requeue by id of a row that
        // does not exist requeues nothing, and a purge of old failed rows deletes nothing, each answered as JSON.
        HttpResponse<String> requeue = post("/ops/outbox/requeue", "{\"ids\":[\"no-such-row\"]}", "ops",
                "ops-demo-password");
        HttpResponse<String> purge = post("/ops/outbox/purge", "{\"olderThan\":\"P30D\",\"statuses\":[\"FAILED\"]}",
                "ops", "ops-demo-password");
        HttpResponse<String> refused = post("/ops/outbox/purge", "{\"olderThan\":\"PT0S\"}", "ops",
                "ops-demo-password");

        assertEquals(200, requeue.statusCode(), requeue.body());
        assertEquals(0, json(requeue.body()).getInt("requeued"));
        assertEquals(200, purge.statusCode(), purge.body());
        assertEquals(0, json(purge.body()).getInt("total"));
        assertEquals(400, refused.statusCode(), refused.body());
    }

    private JsonObject storedPayload(String paymentId) throws SQLException {
        assertNotNull(H2_URL, "it.h2.url");
        try (Connection c = DriverManager.getConnection(H2_URL, "sa", "");
                PreparedStatement ps = c.prepareStatement(
                        "SELECT envelope FROM lerian_streaming_outbox WHERE partition_key = ?")) {
            ps.setString(1, "m-it-2");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonObject event = json(new String(rs.getBytes(1), StandardCharsets.UTF_8)).getJsonObject("event");
                    if (paymentId.equals(event.getString("Subject"))) {
                        return event.getJsonObject("Payload");
                    }
                }
            }
        }
        throw new AssertionError("no outbox row for payment " + paymentId);
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private JsonObject counts() throws Exception {
        HttpResponse<String> r = get("/outbox");
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body());
    }

    private static long payments(JsonObject counts) {
        return counts.getJsonNumber("payments").longValue();
    }

    private static long outboxRows(JsonObject counts) {
        return counts.getJsonObject("outbox").values().stream()
                .mapToLong(v -> ((jakarta.json.JsonNumber) v).longValue()).sum();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, null, null);
    }

    private HttpResponse<String> post(String path, String body, String user, String password) throws Exception {
        return http.send(request(path, user, password).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, null, null);
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        return http.send(request(path, user, password).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path, String user, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(60));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private static JsonObject json(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readObject();
        }
    }
}
