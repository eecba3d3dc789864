package studio.lerian.streaming.cdi.sasl;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.cdi.support.GeneratedCertificates;
import studio.lerian.streaming.cdi.support.SecuredKafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * {@code STREAMING_TLS_*} and {@code STREAMING_SASL_*} against a real broker whose listeners require them, with
 * certificates this test generates: TLS publishes when the broker's authority is trusted and fails when it is not;
 * SCRAM-SHA-512 over TLS publishes with the right password and is an auth error with a wrong one; SASL without TLS is
 * refused when the emitter starts unless explicitly allowed ({@link ScramAuthenticationTest} covers the allowed case).
 */
class TlsAndScramOverTlsTest {

    private static final String USER = "ledger-svc";
    private static final String PASSWORD = "Tls-pw-8c1e";

    private static SecuredKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = new SecuredKafkaBroker(USER, PASSWORD).start();
        broker.createTopic("lerian.streaming.transaction.created", Map.of());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Map<String, String> tls(String bootstrap, String trustedAuthority) {
        Map<String, String> p = Fixture.config(bootstrap);
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.tls.ca.cert", trustedAuthority);
        return p;
    }

    private static Map<String, String> scramOverTls(String password) {
        Map<String, String> p = tls(broker.saslSslBootstrap(), broker.authority().certificatePemBase64());
        p.put("streaming.sasl.mechanism", SecuredKafkaBroker.MECHANISM.toLowerCase(Locale.ROOT));
        p.put("streaming.sasl.username", USER);
        p.put("streaming.sasl.password", password);
        return p;
    }

    private static EmitRequest event() {
        return EmitRequest.builder("transaction.created").tenantId("t-abc").payload("{\"amount\":1}").build();
    }

    @Test
    void tlsWithTheBrokersAuthorityTrustedPublishes() {
        try (StreamingContainer app = StreamingContainer.start(tls(broker.sslBootstrap(),
                broker.authority().certificatePemBase64()), Fixture.Definitions.class)) {
            app.emitter().emit(event());
            awaitHealthy(app);
        }
    }

    @Test
    void tlsWithAnotherAuthorityNeverPublishes() {
        String stranger = GeneratedCertificates.authority("not the broker's CA").certificatePemBase64();
        try (StreamingContainer app = StreamingContainer.start(tls(broker.sslBootstrap(), stranger),
                Fixture.Definitions.class)) {
            assertThrows(EmitException.class, () -> app.emitter().emit(event()));
            assertNotEquals(HealthState.HEALTHY, app.emitter().health().state());
        }
    }

    @Test
    void scramOverTlsPublishesWithoutAnyPlaintextOptIn() {
        try (StreamingContainer app = StreamingContainer.start(scramOverTls(PASSWORD), Fixture.Definitions.class)) {
            app.emitter().emit(event());
            awaitHealthy(app);
        }
    }

    @Test
    void wrongPasswordOverTlsIsAnAuthErrorThatNamesNoPassword() {
        String wrong = "Wrong-pw-31d7";
        try (StreamingContainer app = StreamingContainer.start(scramOverTls(wrong), Fixture.Definitions.class)) {
            EmitException e = assertThrows(EmitException.class, () -> app.emitter().emit(event()));
            assertEquals(ErrorClass.AUTH_ERROR, e.errorClass(), e.getMessage());
            assertTrue(StreamingErrors.isCallerError(e));
            assertFalse(e.getMessage().contains(wrong), e.getMessage());
        }
    }

    @Test
    void saslWithoutTlsIsRefusedWhenTheEmitterStarts() {
        Map<String, String> p = Fixture.config(broker.plainBootstrap());
        p.put("streaming.sasl.mechanism", SecuredKafkaBroker.MECHANISM);
        p.put("streaming.sasl.username", USER);
        p.put("streaming.sasl.password", PASSWORD);
        RuntimeException refused = assertThrows(RuntimeException.class, () -> {
            try (StreamingContainer app = StreamingContainer.start(p, Fixture.Definitions.class)) {
                app.emitter().health();
            }
        });
        StreamingException cause = streamingCause(refused);
        assertEquals(ErrorCode.PLAINTEXT_SASL_NOT_ALLOWED, cause.code(), cause::getMessage);
        assertFalse(cause.getMessage().contains(PASSWORD), cause.getMessage());
    }

    /** The health probe opens a connection of its own (TLS handshake, SASL exchange) within 500 ms: it may take tries. */
    private static void awaitHealthy(StreamingContainer app) {
        await().atMost(Duration.ofSeconds(30)).until(() -> app.emitter().health().state() == HealthState.HEALTHY);
    }

    private static StreamingException streamingCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StreamingException e) {
                return e;
            }
        }
        throw new AssertionError("no StreamingException in the chain", t);
    }
}
