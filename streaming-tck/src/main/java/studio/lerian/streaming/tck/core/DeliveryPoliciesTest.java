package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.DirectMode;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;

/**
 * Delivery policies resolved from the deployment's {@code STREAMING_EVENT_POLICIES} (golden vector G9) and the call's
 * override (G10), for the parts that need no outbox: {@code enabled}, and the {@code direct=skip} consistency rule of
 * a call's override (a deployment entry that breaks it fails the deployment, see
 * {@link InconsistentPolicyDeploymentTest}).
 * The outbox modes are proven by {@code studio.lerian.streaming.tck.outbox.OutboxPoliciesTest}.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class DeliveryPoliciesTest {

    static final String PAUSED = "audit.paused";

    @Deployment
    public static WebArchive deployment() {
        // G9: attribute and boolean case-insensitive; "," and ";" both separate entries.
        return TckDeployments.war("delivery-policies", Map.of("streaming.event.policies",
                        PAUSED + ".ENABLED=No;" + PAUSED + ".dlq=never"),
                DeliveryPoliciesTest.class, TckCatalog.class, PolicyEvents.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "policy-1", spec = "docs/policies.md §Delivery policies (STREAMING_EVENT_POLICIES enabled=false)")
    public void eventDisabledByTheDeploymentIsRefusedAsACallerError() {
        StreamingException e = assertThrows(StreamingException.class, () -> emitter.emit(request(PAUSED, null)));
        assertEquals(ErrorCode.EVENT_DISABLED, e.code(), e.getMessage());
        assertFalse(e instanceof EmitException, "refused before any publish");
        assertTrue(StreamingErrors.isCallerError(e), "EVENT_DISABLED is a caller error");
    }

    @Test
    @Assertion(id = "policy-2", spec = "docs/policies.md §Delivery policies (the call's override wins)")
    public void callOverrideEnablesAnEventTheDeploymentDisabled() {
        String id = UUID.randomUUID().toString();
        emitter.emit(request(PAUSED, DeliveryPolicyOverride.builder().enabled(true).build()).toBuilder()
                .eventId(id).build());
        assertEquals(1, TckBroker.awaitEvent("lerian.streaming.audit.paused", id).size(),
                "the event enabled by its call is on the topic");
    }

    @Test
    @Assertion(id = "policy-3", spec = "docs/policies.md §Delivery policies (the call's override wins)")
    public void callOverrideDisablesAnEnabledEvent() {
        StreamingException e = assertThrows(StreamingException.class, () -> emitter.emit(request(
                TckCatalog.TRANSACTION_CREATED, DeliveryPolicyOverride.builder().enabled(false).build())));
        assertEquals(ErrorCode.EVENT_DISABLED, e.code(), e.getMessage());
        assertTrue(StreamingErrors.isCallerError(e), "EVENT_DISABLED is a caller error");
    }

    @Test
    @Assertion(id = "policy-4", spec = "docs/policies.md §Delivery policies (direct=skip needs outbox=always)")
    public void directSkipWithoutOutboxAlwaysIsAnInvalidPolicy() {
        StreamingException e = assertThrows(StreamingException.class, () -> emitter.emit(request(
                TckCatalog.TRANSACTION_CREATED, DeliveryPolicyOverride.builder().direct(DirectMode.SKIP).build())));
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("direct=skip requires outbox=always"), e.getMessage());
        assertTrue(StreamingErrors.isCallerError(e), "INVALID_DELIVERY_POLICY is a caller error");
    }

    private static EmitRequest request(String key, DeliveryPolicyOverride override) {
        EmitRequest.Builder b = EmitRequest.builder(key).tenantId("t-policy").payload("{}");
        return override == null ? b.build() : b.policyOverride(override).build();
    }

    /** A definition with no policy of its own: the deployment's entries apply. */
    @ApplicationScoped
    public static class PolicyEvents implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(EventDefinition.builder(PAUSED).resourceType("audit").eventType("paused").build());
        }
    }
}
