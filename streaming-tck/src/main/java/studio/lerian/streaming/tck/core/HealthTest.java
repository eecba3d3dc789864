package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckDeployments;
import studio.lerian.streaming.tck.support.TckWait;

/**
 * Health with the broker up, and after {@code close()}: {@code Emitter.health()} (golden vector G14) and, with
 * MicroProfile Health, the {@code lib-streaming} readiness check. The degraded state, during an outage with an
 * outbox, is proven by {@code studio.lerian.streaming.tck.outbox.OutboxAcrossAnOutageTest}.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class HealthTest {

    /** The readiness check's name, as docs/operations.md gives it. */
    static final String CHECK = "lib-streaming";

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("emitter-health", HealthTest.class, TckCatalog.class);
    }

    @Inject
    Emitter emitter;

    @Inject
    @Readiness
    Instance<HealthCheck> readiness;

    @Test
    @Order(1)
    @Assertion(id = "health-1", spec = "docs/operations.md §Health")
    public void emitterWithTheBrokerUpIsHealthy() {
        TckWait.until("health is HEALTHY with the broker up", Duration.ofSeconds(20),
                () -> emitter.health().state() == HealthState.HEALTHY);
        Health health = emitter.health();
        assertTrue(health.isHealthy(), health.message());
        assertTrue(health.cause().isEmpty(), "no cause when healthy");
        assertEquals("streaming: health state=healthy", health.message(), "the Go library's text");
    }

    @Test
    @Order(2)
    @Tag(TckTags.HEALTH)
    @Assertion(id = "health-2", spec = "docs/operations.md §Readiness")
    public void readinessCheckIsUpAndSaysHealthy() {
        HealthCheckResponse r = check();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus(), "status");
        assertEquals(Optional.of("healthy"), r.getData().flatMap(d -> Optional.ofNullable(d.get("state")))
                .map(Object::toString), "state");
    }

    @Test
    @Order(3)
    @Assertion(id = "health-3", spec = "docs/operations.md §Health (after close); docs/errors.md")
    public void closedEmitterIsDownAndRefusesEmits() {
        emitter.close();
        Health health = emitter.health();
        assertEquals(HealthState.DOWN, health.state(), health.message());
        assertEquals("streaming: health state=down: streaming: emitter is closed", health.message(),
                "the Go library's text");
        StreamingException e = assertThrows(StreamingException.class, () -> emitter.emit(
                EmitRequest.builder(TckCatalog.TRANSACTION_CREATED).tenantId("t-health").payload("{}").build()));
        assertEquals(ErrorCode.EMITTER_CLOSED, e.code(), e.getMessage());
    }

    @Test
    @Order(4)
    @Tag(TckTags.HEALTH)
    @Assertion(id = "health-4", spec = "docs/operations.md §Readiness")
    public void readinessCheckIsDownAfterClose() {
        emitter.close();
        assertEquals(HealthCheckResponse.Status.DOWN, check().getStatus(), "status after close");
    }

    private HealthCheckResponse check() {
        List<HealthCheckResponse> named = readiness.stream().map(HealthCheck::call)
                .filter(r -> CHECK.equals(r.getName())).toList();
        assertEquals(1, named.size(), "one readiness check named " + CHECK);
        return named.get(0);
    }
}
