package studio.lerian.streaming.cdi.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/** STREAMING_SASL_* against a broker that requires SCRAM-SHA-256: the right password publishes, a wrong one is an auth error. */
class ScramAuthenticationTest {

    private static final String USER = "ledger-svc";
    private static final String PASSWORD = "s3cret-\"quoted\"";

    private static ScramKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = new ScramKafkaBroker(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Map<String, String> scram(String password) {
        Map<String, String> p = Fixture.config(broker.saslBootstrap());
        p.put("streaming.sasl.mechanism", "scram-sha-256");
        p.put("streaming.sasl.username", USER);
        p.put("streaming.sasl.password", password);
        p.put("streaming.sasl.allow.plaintext", "true");
        return p;
    }

    private static EmitRequest event() {
        return EmitRequest.builder("transaction.created").tenantId("t-abc").payload("{\"amount\":1}").build();
    }

    @Test
    void rightCredentialsPublish() {
        try (StreamingContainer app = StreamingContainer.start(scram(PASSWORD), Fixture.Definitions.class)) {
            app.emitter().emit(event());
            assertEquals(HealthState.HEALTHY, app.emitter().health().state());
        }
    }

    @Test
    void wrongPasswordIsAnAuthErrorTheCallerMustFix() {
        try (StreamingContainer app = StreamingContainer.start(scram("wrong"), Fixture.Definitions.class)) {
            long start = System.nanoTime();
            EmitException e = assertThrows(EmitException.class, () -> app.emitter().emit(event()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(ErrorClass.AUTH_ERROR, e.errorClass(), e.getMessage());
            assertTrue(StreamingErrors.isCallerError(e));
            assertTrue(e.getMessage().startsWith("streaming emit failed: class=auth_error topic="
                    + "lerian.streaming.transaction.created"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), "the password never appears: " + e.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(4)) <= 0, "took " + took.toMillis() + " ms");
            assertEquals(HealthState.DOWN, app.emitter().health().state());
        }
    }
}
