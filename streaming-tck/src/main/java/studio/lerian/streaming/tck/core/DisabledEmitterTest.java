package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;

/** With {@code streaming.enabled=false} the injected emitter validates nothing, sends nothing and reports healthy. */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class DisabledEmitterTest {

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("disabled-emitter", Map.of("streaming.enabled", "false"), DisabledEmitterTest.class,
                TckCatalog.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "disabled-1", spec = "README §A minimal application; docs/configuration.md (STREAMING_ENABLED)")
    public void disabledEmitterValidatesNothing() {
        assertDoesNotThrow(() -> emitter.emit(EmitRequest.builder("no.such_event").payload("not json").build()));
        assertEquals(HealthState.HEALTHY, emitter.health().state(), "health");
    }

    @Test
    @Assertion(id = "disabled-2", spec = "README §A minimal application; docs/configuration.md (STREAMING_ENABLED)")
    public void disabledEmitterSendsNothing() {
        String id = UUID.randomUUID().toString();
        emitter.emit(EmitRequest.builder(TckCatalog.TRANSACTION_CREATED).tenantId("t-off").eventId(id)
                .payload("{}").build());
        // A negative: read the topic for a bounded time and find no record of that id.
        assertTrue(TckBroker.await(TckCatalog.TRANSACTION_CREATED_TOPIC,
                r -> r.header("ce-id").filter(id::equals).isPresent(), 1, Duration.ofSeconds(3)).isEmpty(),
                "a record of a disabled emitter reached the broker");
    }
}
