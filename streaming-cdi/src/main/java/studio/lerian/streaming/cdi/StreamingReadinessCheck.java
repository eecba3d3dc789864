package studio.lerian.streaming.cdi;

import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.NoopEmitter;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.spi.OutboxBacklog;
import java.time.Duration;
import java.time.Instant;

/**
 * MicroProfile Health readiness check {@value #NAME}: UP when healthy, UP with {@code state=degraded} when the broker
 * is unreachable but events are captured by the outbox, DOWN otherwise. Data: {@code state}, {@code cause} when not
 * healthy, {@code circuit} ({@code closed}, {@code half-open}, {@code open}), with an outbox its backlog
 * ({@code outbox_unpublished}, {@code outbox_oldest_age_s}) and, when this instance relays, the seconds since the
 * relay last completed a poll ({@code outbox_last_poll_age_s}; past the relay's stall limit the state is degraded). A
 * disabled emitter ({@code STREAMING_ENABLED} false or unset) is UP with {@code enabled=false}. Registered by
 * {@link StreamingExtension} only when the MicroProfile Health API is on the class path.
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
        if (emitter instanceof NoopEmitter) {
            b.withData("enabled", false); // ready, and discarding every event: STREAMING_ENABLED is false or unset
        }
        if (emitter instanceof KafkaEmitter kafka) {
            b.withData("circuit", kafka.circuitState().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        if (emitter instanceof KafkaEmitter kafka && kafka.backlogProbe().isPresent()) {
            OutboxBacklog backlog = kafka.outboxBacklog();
            b.withData("outbox_unpublished", backlog.unpublished());
            backlog.oldestCreatedAt().ifPresent(t -> b.withData("outbox_oldest_age_s",
                    Math.max(0, Duration.between(t, Instant.now()).toSeconds())));
            // An instance with the relay off watches the backlog without relaying it: no relay figures.
            kafka.relay().ifPresent(relay -> b.withData("outbox_last_poll_age_s", relay.sinceLastPoll().toSeconds()));
        }
        return b.build();
    }
}
