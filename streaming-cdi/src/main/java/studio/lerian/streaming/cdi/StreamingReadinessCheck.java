package studio.lerian.streaming.cdi;

import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.HealthState;

/**
 * MicroProfile Health readiness check {@value #NAME}: UP when healthy, UP with {@code state=degraded} when the broker
 * is unreachable but events are captured by the outbox, DOWN otherwise. Registered by {@link StreamingExtension} only
 * when the MicroProfile Health API is on the class path.
 */
@Readiness
public class StreamingReadinessCheck implements HealthCheck {

    /** The check's name. */
    public static final String NAME = "lib-streaming";

    @Inject
    Emitter emitter;

    @Override
    public HealthCheckResponse call() {
        Health health = emitter.health();
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME)
                .status(health.state() != HealthState.DOWN)
                .withData("state", health.state().label());
        health.cause().ifPresent(c -> b.withData("cause", health.message()));
        return b.build();
    }
}
