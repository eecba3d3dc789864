package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.support.Golden;
import studio.lerian.streaming.support.Policies;

class DeliveryPolicyTest {

    static Stream<Arguments> g10() {
        return Golden.rows("g10-policy-resolution.csv", 5).stream()
                .map(r -> Arguments.of(r[0], r[1], r[2], r[3], r[4]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("g10")
    void resolvesDefinitionThenConfigThenCall(String name, String definitionDefault, String config, String call,
            String expected) {
        if (expected.startsWith("policy:")) {
            DeliveryPolicy resolved = resolve(definitionDefault, config, call);
            assertEquals(Policies.of(expected.substring("policy:".length())), resolved);
        } else {
            StreamingException e = assertThrows(StreamingException.class,
                    () -> resolve(definitionDefault, config, call));
            assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
            assertEquals(expected.substring("error:".length()), e.getMessage());
        }
    }

    private static DeliveryPolicy resolve(String definitionDefault, String config, String call) {
        EventDefinition.Builder definition = EventDefinition.builder("k").resourceType("r").eventType("e");
        if (definitionDefault.startsWith("builder:")) {
            definition.defaultPolicy(Policies.built(definitionDefault.substring("builder:".length())));
        } else if (!definitionDefault.equals("zero")) {
            throw new IllegalArgumentException(definitionDefault);
        }
        return DeliveryPolicy.resolve(definition.build().defaultPolicy(), Policies.override(config, ";"),
                Policies.override(call, ";"));
    }

    @Test
    void policyBuiltWithOnlyModesStaysEnabledUnlikeGo() {
        DeliveryPolicy policy = DeliveryPolicy.builder().outbox(OutboxMode.ALWAYS).build();
        assertTrue(policy.enabled());
        assertTrue(policy.outboxAlways());
        assertTrue(policy.hasDeliveryPath());
    }

    @Test
    void defaultsAreEnabledDirectFallbackOnCircuitOpenAndDlqOnRoutableFailure() {
        DeliveryPolicy d = DeliveryPolicy.defaults();
        assertTrue(d.enabled());
        assertEquals(DirectMode.DIRECT, d.direct());
        assertEquals(OutboxMode.FALLBACK_ON_CIRCUIT_OPEN, d.outbox());
        assertEquals(DlqMode.ON_ROUTABLE_FAILURE, d.dlq());
        assertEquals(d, DeliveryPolicy.builder().build());
        assertEquals("{\"enabled\":true,\"direct\":\"direct\",\"outbox\":\"fallback_on_circuit_open\","
                + "\"dlq\":\"on_routable_failure\"}", d.toString());
    }

    @Test
    void outboxAlwaysPolicyHasTheJsonFormOfTheOutboxEnvelope() {
        DeliveryPolicy p = DeliveryPolicy.defaults().with(DeliveryPolicyOverride.builder().outbox("always").build());
        assertEquals("{\"enabled\":true,\"direct\":\"direct\",\"outbox\":\"always\",\"dlq\":\"on_routable_failure\"}",
                p.toString());
    }

    @ParameterizedTest(name = "enabled skip with outbox={0} is rejected")
    @CsvSource({"never", "fallback_on_circuit_open"})
    void enabledDirectSkipRequiresOutboxAlways(String outbox) {
        OutboxMode mode = OutboxMode.fromWire(outbox).orElseThrow();
        StreamingException viaOf = assertThrows(StreamingException.class,
                () -> DeliveryPolicy.of(true, DirectMode.SKIP, mode, DlqMode.NEVER));
        StreamingException viaBuilder = assertThrows(StreamingException.class,
                () -> DeliveryPolicy.builder().direct(DirectMode.SKIP).outbox(mode).build());
        for (StreamingException e : new StreamingException[] {viaOf, viaBuilder}) {
            assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
            assertEquals("streaming: invalid delivery policy: direct=skip requires outbox=always", e.getMessage());
        }
    }

    @Test
    void enabledDirectSkipWithOutboxAlwaysIsValid() {
        DeliveryPolicy p = DeliveryPolicy.of(true, DirectMode.SKIP, OutboxMode.ALWAYS, DlqMode.NEVER);
        assertFalse(p.directAllowed());
        assertTrue(p.outboxAlways());
    }

    @Test
    void disabledPolicyMayHoldSkipAndNever() {
        DeliveryPolicy p = DeliveryPolicy.builder().enabled(false).direct(DirectMode.SKIP).outbox(OutboxMode.NEVER)
                .build();
        assertFalse(p.enabled());
        assertFalse(p.hasDeliveryPath());
    }

    @Test
    void ofTheDefaultAttributesEqualsTheDefaults() {
        assertEquals(DeliveryPolicy.defaults(), DeliveryPolicy.of(true, DirectMode.DIRECT,
                OutboxMode.FALLBACK_ON_CIRCUIT_OPEN, DlqMode.ON_ROUTABLE_FAILURE));
    }

    @Test
    void missingOrEmptyOverridesLeaveThePolicyUnchanged() {
        DeliveryPolicy p = Policies.of("false,direct,never,never");
        assertSame(p, DeliveryPolicy.resolve(p, null, null));
        assertSame(p, DeliveryPolicy.resolve(p, DeliveryPolicyOverride.none(), DeliveryPolicyOverride.none()));
        assertSame(p, p.with(DeliveryPolicyOverride.builder().build()));
    }

    @Test
    void eachLayerOnlyReplacesWhatItSets() {
        DeliveryPolicy base = Policies.of("true,direct,never,never");
        DeliveryPolicy resolved = DeliveryPolicy.resolve(base,
                DeliveryPolicyOverride.builder().dlq(DlqMode.ON_ROUTABLE_FAILURE).build(),
                DeliveryPolicyOverride.builder().outbox(OutboxMode.ALWAYS).build());
        assertEquals(Policies.of("true,direct,always,on_routable_failure"), resolved);
    }

    @Test
    void policyIsValidatedAfterEachLayerSoConfigDirectSkipFailsEvenIfTheCallSetsOutboxAlways() {
        DeliveryPolicyOverride config = DeliveryPolicyOverride.builder().direct(DirectMode.SKIP).build();
        DeliveryPolicyOverride call = DeliveryPolicyOverride.builder().outbox(OutboxMode.ALWAYS).build();
        StreamingException e = assertThrows(StreamingException.class,
                () -> DeliveryPolicy.resolve(DeliveryPolicy.defaults(), config, call));
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
    }

    @Test
    void configDirectSkipTogetherWithOutboxAlwaysIsValid() {
        DeliveryPolicyOverride config = DeliveryPolicyOverride.builder().direct(DirectMode.SKIP)
                .outbox(OutboxMode.ALWAYS).build();
        DeliveryPolicy p = DeliveryPolicy.resolve(DeliveryPolicy.defaults(), config, null);
        assertFalse(p.directAllowed());
        assertTrue(p.outboxAlways());
    }

    @ParameterizedTest(name = "{0}=\"{1}\"")
    @CsvSource({"direct,bogus", "direct,DIRECT", "outbox,Always", "outbox,fallback", "dlq,always", "dlq,NEVER"})
    void overrideWithAnUnknownModeStringFailsNamingIt(String attribute, String value) {
        DeliveryPolicyOverride.Builder b = DeliveryPolicyOverride.builder();
        switch (attribute) {
            case "direct" -> b.direct(value);
            case "outbox" -> b.outbox(value);
            default -> b.dlq(value);
        }
        StreamingException e = assertThrows(StreamingException.class, b::build);
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
        assertEquals("streaming: invalid delivery policy: " + attribute + "=\"" + value + "\"", e.getMessage());
    }

    @Test
    void emptyModeStringInAnOverrideMeansNoChange() {
        DeliveryPolicyOverride o = DeliveryPolicyOverride.builder().direct("").outbox((String) null).dlq("").build();
        assertTrue(o.isEmpty());
        assertSame(DeliveryPolicyOverride.none(), o);
    }

    @Test
    void laterOverrideWinsWhenOverridesAreChained() {
        DeliveryPolicyOverride first = DeliveryPolicyOverride.builder().enabled(false).outbox(OutboxMode.NEVER).build();
        DeliveryPolicyOverride later = DeliveryPolicyOverride.builder().enabled(true).dlq(DlqMode.NEVER).build();
        DeliveryPolicyOverride merged = first.then(later);
        assertEquals(Optional.of(true), merged.enabled());
        assertEquals(Optional.of(OutboxMode.NEVER), merged.outbox());
        assertEquals(Optional.of(DlqMode.NEVER), merged.dlq());
        assertEquals(Optional.empty(), merged.direct());
        assertSame(first, first.then(null));
    }

    @ParameterizedTest(name = "{0} => direct={1} always={2} fallback={3} dlq={4} path={5}")
    @CsvSource(delimiter = '|', value = {
        "true,direct,fallback_on_circuit_open,on_routable_failure|true|false|true|true|true",
        "true,direct,always,never|true|true|false|false|true",
        "true,direct,never,never|true|false|false|false|true",
        "true,skip,always,on_routable_failure|false|true|false|true|true",
        "false,direct,fallback_on_circuit_open,on_routable_failure|false|false|false|false|false",
        "false,direct,always,on_routable_failure|false|false|false|false|false",
        "false,skip,never,never|false|false|false|false|false",
        "false,skip,always,on_routable_failure|false|false|false|false|false",
    })
    void planPredicatesFollowTheResolvedPolicy(String policy, boolean directAllowed, boolean outboxAlways,
            boolean fallback, boolean dlqAllowed, boolean hasDeliveryPath) {
        DeliveryPolicy p = Policies.of(policy);
        assertEquals(directAllowed, p.directAllowed(), "directAllowed");
        assertEquals(outboxAlways, p.outboxAlways(), "outboxAlways");
        assertEquals(fallback, p.outboxFallbackOnCircuitOpen(), "outboxFallbackOnCircuitOpen");
        assertEquals(dlqAllowed, p.dlqAllowed(), "dlqAllowed");
        assertEquals(hasDeliveryPath, p.hasDeliveryPath(), "hasDeliveryPath");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"direct", "skip", "never", "fallback_on_circuit_open", "always", "on_routable_failure"})
    void modeWireStringsRoundTripAndAreCaseSensitive(String wire) {
        String found = DirectMode.fromWire(wire).map(DirectMode::wire)
                .or(() -> OutboxMode.fromWire(wire).map(OutboxMode::wire))
                .or(() -> DlqMode.fromWire(wire).map(DlqMode::wire)).orElseThrow();
        assertEquals(wire, found);
        String upper = wire.toUpperCase(java.util.Locale.ROOT);
        assertTrue(DirectMode.fromWire(upper).isEmpty() && OutboxMode.fromWire(upper).isEmpty()
                && DlqMode.fromWire(upper).isEmpty());
    }
}
