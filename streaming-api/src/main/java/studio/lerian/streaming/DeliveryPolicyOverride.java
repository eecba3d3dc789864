package studio.lerian.streaming;

import java.util.Objects;
import java.util.Optional;

/**
 * A partial {@link DeliveryPolicy}: each attribute either replaces the one beneath it or leaves it alone. Used for the
 * deployment's per-event overrides ({@code STREAMING_EVENT_POLICIES}) and for a request's call override. Immutable.
 *
 * <p>An override may hold any combination of modes; consistency (for example {@code direct=skip} needs
 * {@code outbox=always}) is checked on the merged policy, when the event is emitted.
 */
public final class DeliveryPolicyOverride {

    private static final DeliveryPolicyOverride NONE = new DeliveryPolicyOverride(null, null, null, null);

    private final Boolean enabled;
    private final DirectMode direct;
    private final OutboxMode outbox;
    private final DlqMode dlq;

    private DeliveryPolicyOverride(Boolean enabled, DirectMode direct, OutboxMode outbox, DlqMode dlq) {
        this.enabled = enabled;
        this.direct = direct;
        this.outbox = outbox;
        this.dlq = dlq;
    }

    /**
     * The override that changes nothing.
     *
     * @return the empty override
     */
    public static DeliveryPolicyOverride none() {
        return NONE;
    }

    /**
     * A builder with nothing set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the enabled flag to apply, or empty to leave it alone */
    public Optional<Boolean> enabled() {
        return Optional.ofNullable(enabled);
    }

    /** @return the direct mode to apply, or empty to leave it alone */
    public Optional<DirectMode> direct() {
        return Optional.ofNullable(direct);
    }

    /** @return the outbox mode to apply, or empty to leave it alone */
    public Optional<OutboxMode> outbox() {
        return Optional.ofNullable(outbox);
    }

    /** @return the DLQ mode to apply, or empty to leave it alone */
    public Optional<DlqMode> dlq() {
        return Optional.ofNullable(dlq);
    }

    /** @return {@code true} when this override sets nothing */
    public boolean isEmpty() {
        return enabled == null && direct == null && outbox == null && dlq == null;
    }

    /**
     * This override with another applied on top: what {@code later} sets wins.
     *
     * @param later the override applied after this one; {@code null} returns this override
     * @return the merged override
     */
    public DeliveryPolicyOverride then(DeliveryPolicyOverride later) {
        if (later == null || later.isEmpty()) {
            return this;
        }
        return new DeliveryPolicyOverride(later.enabled != null ? later.enabled : enabled,
                later.direct != null ? later.direct : direct, later.outbox != null ? later.outbox : outbox,
                later.dlq != null ? later.dlq : dlq);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeliveryPolicyOverride p && Objects.equals(p.enabled, enabled) && p.direct == direct
                && p.outbox == outbox && p.dlq == dlq;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, direct, outbox, dlq);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        if (enabled != null) {
            sb.append("\"enabled\":").append(enabled);
        }
        append(sb, "direct", direct == null ? null : direct.wire());
        append(sb, "outbox", outbox == null ? null : outbox.wire());
        append(sb, "dlq", dlq == null ? null : dlq.wire());
        return sb.append('}').toString();
    }

    private static void append(StringBuilder sb, String name, String value) {
        if (value != null) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(name).append("\":\"").append(value).append('"');
        }
    }

    /**
     * Builds a {@link DeliveryPolicyOverride}. Modes may be given as enums or as their wire strings; an unknown string
     * fails {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private Boolean enabled;
        private DirectMode direct;
        private OutboxMode outbox;
        private DlqMode dlq;
        private String error;

        private Builder() {
        }

        /**
         * @param enabled the enabled flag to apply; {@code null} leaves it alone
         * @return this builder
         */
        public Builder enabled(Boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * @param direct the direct mode to apply; {@code null} leaves it alone
         * @return this builder
         */
        public Builder direct(DirectMode direct) {
            this.direct = direct;
            return this;
        }

        /**
         * @param wire the direct mode's wire string; {@code null} or empty leaves it alone; unknown fails build
         * @return this builder
         */
        public Builder direct(String wire) {
            this.direct = parse(wire, "direct", DirectMode::fromWire);
            return this;
        }

        /**
         * @param outbox the outbox mode to apply; {@code null} leaves it alone
         * @return this builder
         */
        public Builder outbox(OutboxMode outbox) {
            this.outbox = outbox;
            return this;
        }

        /**
         * @param wire the outbox mode's wire string; {@code null} or empty leaves it alone; unknown fails build
         * @return this builder
         */
        public Builder outbox(String wire) {
            this.outbox = parse(wire, "outbox", OutboxMode::fromWire);
            return this;
        }

        /**
         * @param dlq the DLQ mode to apply; {@code null} leaves it alone
         * @return this builder
         */
        public Builder dlq(DlqMode dlq) {
            this.dlq = dlq;
            return this;
        }

        /**
         * @param wire the DLQ mode's wire string; {@code null} or empty leaves it alone; unknown fails build
         * @return this builder
         */
        public Builder dlq(String wire) {
            this.dlq = parse(wire, "dlq", DlqMode::fromWire);
            return this;
        }

        /**
         * @return the override
         * @throws StreamingException {@link ErrorCode#INVALID_DELIVERY_POLICY} naming the first unknown mode string,
         *         e.g. {@code streaming: invalid delivery policy: direct="bogus"}
         */
        public DeliveryPolicyOverride build() {
            if (error != null) {
                throw new StreamingException(ErrorCode.INVALID_DELIVERY_POLICY, error);
            }
            if (enabled == null && direct == null && outbox == null && dlq == null) {
                return NONE;
            }
            return new DeliveryPolicyOverride(enabled, direct, outbox, dlq);
        }

        private <T> T parse(String wire, String attribute, java.util.function.Function<String, Optional<T>> lookup) {
            if (wire == null || wire.isEmpty()) {
                return null;
            }
            Optional<T> mode = lookup.apply(wire);
            if (mode.isEmpty() && error == null) {
                error = attribute + "=\"" + wire + "\"";
            }
            return mode.orElse(null);
        }
    }
}
