package studio.lerian.streaming.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;

/**
 * {@code STREAMING_EVENT_POLICIES} comes from the environment of a deployment: whatever it holds, the parser either
 * returns overrides within its documented limits or refuses with {@link ErrorCode#INVALID_DELIVERY_POLICY}, never
 * anything else. Seeds under {@code EventPoliciesFuzzTestInputs} run in every build; {@code -Pfuzz} explores.
 */
class EventPoliciesFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void onlyAnInvalidDeliveryPolicyMayEscape(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString();
        Map<String, DeliveryPolicyOverride> parsed;
        try {
            parsed = EventPolicies.parse(value);
        } catch (StreamingException refused) {
            assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, refused.code(), () -> "for " + value);
            return;
        }
        assertTrue(parsed.size() <= EventPolicies.MAX_ENTRIES, "more entries than the documented maximum");
        for (String key : parsed.keySet()) {
            assertTrue(key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= EventPolicies.MAX_KEY_BYTES,
                    () -> "key over the documented maximum: " + key);
        }
    }
}
