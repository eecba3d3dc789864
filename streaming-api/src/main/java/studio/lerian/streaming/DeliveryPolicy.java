package studio.lerian.streaming;

import java.util.Objects;

/**
 * How an event is delivered: whether it is enabled, whether it is published directly, when it goes to the outbox and
 * whether failures are copied to the dead-letter topic. Immutable and always consistent: an enabled policy with
 * {@link DirectMode#SKIP} must use {@link OutboxMode#ALWAYS}.
 *
 * <p>An event's policy is resolved in three layers (see {@link #resolve}): the definition's
 * {@linkplain EventDefinition#defaultPolicy() default}, then the deployment's override for that key (from
 * {@code STREAMING_EVENT_POLICIES}), then the request's {@linkplain EmitRequest#policyOverride() call override}.
 *
 * <p>Unlike the Go library, a policy built with only some modes set stays enabled unless it says otherwise: the
 * builder starts from {@link #defaults()}.
 */
public final class DeliveryPolicy {

    private static final DeliveryPolicy DEFAULTS =
            new DeliveryPolicy(true, DirectMode.DIRECT, OutboxMode.FALLBACK_ON_CIRCUIT_OPEN, DlqMode.ON_ROUTABLE_FAILURE);

    private final boolean enabled;
    private final DirectMode direct;
    private final OutboxMode outbox;
    private final DlqMode dlq;

    private DeliveryPolicy(boolean enabled, DirectMode direct, OutboxMode outbox, DlqMode dlq) {
        this.enabled = enabled;
        this.direct = direct;
        this.outbox = outbox;
        this.dlq = dlq;
    }

    /**
     * The default policy: enabled, {@code direct}, {@code fallback_on_circuit_open}, {@code on_routable_failure}.
     *
     * @return the default policy
     */
    public static DeliveryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A builder that starts from {@link #defaults()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /**
     * A policy with the given attributes.
     *
     * @param enabled whether the event is delivered at all
     * @param direct the direct mode; must not be {@code null}
     * @param outbox the outbox mode; must not be {@code null}
     * @param dlq the DLQ mode; must not be {@code null}
     * @return the policy
     * @throws StreamingException {@link ErrorCode#INVALID_DELIVERY_POLICY} when enabled with {@code direct=skip} and
     *         an outbox mode other than {@code always}
     */
    public static DeliveryPolicy of(boolean enabled, DirectMode direct, OutboxMode outbox, DlqMode dlq) {
        Objects.requireNonNull(direct, "direct");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(dlq, "dlq");
        if (enabled && direct == DirectMode.SKIP && outbox != OutboxMode.ALWAYS) {
            throw new StreamingException(ErrorCode.INVALID_DELIVERY_POLICY, "direct=skip requires outbox=always");
        }
        if (enabled == DEFAULTS.enabled && direct == DEFAULTS.direct && outbox == DEFAULTS.outbox
                && dlq == DEFAULTS.dlq) {
            return DEFAULTS;
        }
        return new DeliveryPolicy(enabled, direct, outbox, dlq);
    }

    /**
     * Resolves an event's policy: the definition's default, then the configuration override, then the call override.
     * Each layer replaces only what it sets, and the result is validated after each layer.
     *
     * @param definitionDefault the definition's default policy; must not be {@code null}
     * @param configOverride the deployment's override for the key; {@code null} for none
     * @param callOverride the request's override; {@code null} for none
     * @return the resolved policy
     * @throws StreamingException {@link ErrorCode#INVALID_DELIVERY_POLICY} when a layer leaves the policy inconsistent
     */
    public static DeliveryPolicy resolve(DeliveryPolicy definitionDefault, DeliveryPolicyOverride configOverride,
            DeliveryPolicyOverride callOverride) {
        return Objects.requireNonNull(definitionDefault, "definitionDefault").with(configOverride).with(callOverride);
    }

    /**
     * This policy with an override applied.
     *
     * @param override the override; {@code null} or an empty override returns this policy
     * @return the merged policy
     * @throws StreamingException {@link ErrorCode#INVALID_DELIVERY_POLICY} when the result is inconsistent
     */
    public DeliveryPolicy with(DeliveryPolicyOverride override) {
        if (override == null || override.isEmpty()) {
            return this;
        }
        return of(override.enabled().orElse(enabled), override.direct().orElse(direct),
                override.outbox().orElse(outbox), override.dlq().orElse(dlq));
    }

    /** @return whether the event is delivered at all */
    public boolean enabled() {
        return enabled;
    }

    /** @return the direct mode, never {@code null} */
    public DirectMode direct() {
        return direct;
    }

    /** @return the outbox mode, never {@code null} */
    public OutboxMode outbox() {
        return outbox;
    }

    /** @return the DLQ mode, never {@code null} */
    public DlqMode dlq() {
        return dlq;
    }

    /** @return enabled and {@code direct=direct}: the event is published to Kafka while the caller waits */
    public boolean directAllowed() {
        return enabled && direct == DirectMode.DIRECT;
    }

    /** @return enabled and {@code outbox=always}: the event goes only to the outbox */
    public boolean outboxAlways() {
        return enabled && outbox == OutboxMode.ALWAYS;
    }

    /** @return enabled and {@code outbox=fallback_on_circuit_open} */
    public boolean outboxFallbackOnCircuitOpen() {
        return enabled && outbox == OutboxMode.FALLBACK_ON_CIRCUIT_OPEN;
    }

    /** @return enabled and {@code dlq=on_routable_failure} */
    public boolean dlqAllowed() {
        return enabled && dlq == DlqMode.ON_ROUTABLE_FAILURE;
    }

    /** @return enabled and either direct publishing or outbox-always */
    public boolean hasDeliveryPath() {
        return enabled && (directAllowed() || outboxAlways());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeliveryPolicy p && p.enabled == enabled && p.direct == direct && p.outbox == outbox
                && p.dlq == dlq;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, direct, outbox, dlq);
    }

    /** @return the policy in its JSON form, e.g. {@code {"enabled":true,"direct":"direct",...}} */
    @Override
    public String toString() {
        return "{\"enabled\":" + enabled + ",\"direct\":\"" + direct.wire() + "\",\"outbox\":\"" + outbox.wire()
                + "\",\"dlq\":\"" + dlq.wire() + "\"}";
    }

    /** Builds a {@link DeliveryPolicy}; starts from {@link DeliveryPolicy#defaults()}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled;
        private DirectMode direct;
        private OutboxMode outbox;
        private DlqMode dlq;

        private Builder(DeliveryPolicy from) {
            this.enabled = from.enabled;
            this.direct = from.direct;
            this.outbox = from.outbox;
            this.dlq = from.dlq;
        }

        /**
         * @param enabled whether the event is delivered; default {@code true}
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * @param direct the direct mode; default {@link DirectMode#DIRECT}; must not be {@code null}
         * @return this builder
         */
        public Builder direct(DirectMode direct) {
            this.direct = Objects.requireNonNull(direct, "direct");
            return this;
        }

        /**
         * @param outbox the outbox mode; default {@link OutboxMode#FALLBACK_ON_CIRCUIT_OPEN}; must not be {@code null}
         * @return this builder
         */
        public Builder outbox(OutboxMode outbox) {
            this.outbox = Objects.requireNonNull(outbox, "outbox");
            return this;
        }

        /**
         * @param dlq the DLQ mode; default {@link DlqMode#ON_ROUTABLE_FAILURE}; must not be {@code null}
         * @return this builder
         */
        public Builder dlq(DlqMode dlq) {
            this.dlq = Objects.requireNonNull(dlq, "dlq");
            return this;
        }

        /**
         * @return the policy
         * @throws StreamingException {@link ErrorCode#INVALID_DELIVERY_POLICY} when enabled with {@code direct=skip}
         *         and an outbox mode other than {@code always}
         */
        public DeliveryPolicy build() {
            return of(enabled, direct, outbox, dlq);
        }
    }
}
