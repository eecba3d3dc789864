package studio.lerian.streaming.support;

import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.DirectMode;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.OutboxMode;

/** Test helper: overrides and policies written as {@code attr=value} lists, as in the golden files. */
public final class Policies {

    private Policies() {
    }

    /**
     * An override from {@code attr=value} pairs separated by {@code sep}; modes are wire strings.
     *
     * @param spec e.g. {@code enabled=false;outbox=always}; {@code -} or empty for none
     * @param sep the pair separator, as a regex
     * @return the override (may throw for an unknown mode, as the builder does)
     */
    public static DeliveryPolicyOverride override(String spec, String sep) {
        DeliveryPolicyOverride.Builder b = DeliveryPolicyOverride.builder();
        if (spec.isEmpty() || spec.equals("-")) {
            return b.build();
        }
        for (String pair : spec.split(sep, -1)) {
            String[] kv = pair.split("=", 2);
            switch (kv[0]) {
                case "enabled" -> b.enabled(Boolean.valueOf(kv[1]));
                case "direct" -> b.direct(kv[1]);
                case "outbox" -> b.outbox(kv[1]);
                case "dlq" -> b.dlq(kv[1]);
                default -> throw new IllegalArgumentException("bad attribute in test data: " + pair);
            }
        }
        return b.build();
    }

    /**
     * A policy built with {@link DeliveryPolicy#builder()} from {@code attr=value} pairs separated by {@code ;}.
     *
     * @param spec the attributes set on the builder
     * @return the policy (may throw, as the builder does)
     */
    public static DeliveryPolicy built(String spec) {
        DeliveryPolicy.Builder b = DeliveryPolicy.builder();
        for (String pair : spec.split(";", -1)) {
            String[] kv = pair.split("=", 2);
            switch (kv[0]) {
                case "enabled" -> b.enabled(Boolean.parseBoolean(kv[1]));
                case "direct" -> b.direct(DirectMode.fromWire(kv[1]).orElseThrow());
                case "outbox" -> b.outbox(OutboxMode.fromWire(kv[1]).orElseThrow());
                case "dlq" -> b.dlq(DlqMode.fromWire(kv[1]).orElseThrow());
                default -> throw new IllegalArgumentException("bad attribute in test data: " + pair);
            }
        }
        return b.build();
    }

    /**
     * A policy from {@code enabled,direct,outbox,dlq} (wire strings), through {@link DeliveryPolicy#of}.
     *
     * @param csv the four attributes
     * @return the policy
     */
    public static DeliveryPolicy of(String csv) {
        String[] p = csv.split(",", -1);
        return DeliveryPolicy.of(Boolean.parseBoolean(p[0]), DirectMode.fromWire(p[1]).orElseThrow(),
                OutboxMode.fromWire(p[2]).orElseThrow(), DlqMode.fromWire(p[3]).orElseThrow());
    }
}
