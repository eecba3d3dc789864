package studio.lerian.streaming.wire;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.internal.PayloadArrays;

/**
 * What an outbox row holds: the event with every default applied, where it goes and how it is delivered. Version 1,
 * byte-compatible with the Go library's topic-based envelope (spec section 8.2), so Go and Java relays can share an
 * outbox table. Immutable.
 *
 * <p>JSON form ({@link #toJson()}), keys in this order: {@code version}, {@code topic}, {@code definition_key}
 * (omitted when empty), {@code aggregate_id}, {@code policy} ({@code enabled}, {@code direct}, {@code outbox},
 * {@code dlq}) and {@code event}, whose keys are Go's field names: {@code TenantID}, {@code ResourceType},
 * {@code EventType}, {@code EventID}, {@code SchemaVersion}, {@code Timestamp}, {@code Source}, {@code Subject},
 * {@code DataContentType}, {@code DataSchema}, {@code SystemEvent}, {@code Payload} (the payload as raw JSON); then,
 * only when there is one, {@code trace_carrier}: the W3C trace context of the emit that parked the event
 * ({@code traceparent}, and {@code tracestate} when not empty), as the Go library's later versions write it, so that
 * the relay's publish continues the emit's trace. Readers that do not know {@code trace_carrier} ignore it.
 */
public final class OutboxEnvelope {

    /** The only envelope version written and read: {@value}. */
    public static final int VERSION = 1;

    /** The relay type of every streaming outbox row: {@value}. */
    public static final String RELAY_TYPE = "lerian.streaming.publish";

    /** The trace carrier's keys, in the order written: W3C {@code traceparent}, then {@code tracestate}. */
    public static final String TRACEPARENT = "traceparent";

    /** The trace carrier's second key, see {@link #TRACEPARENT}. */
    public static final String TRACESTATE = "tracestate";

    /** The longest trace carrier value kept, in characters: {@value}; longer values are dropped, as Go does. */
    public static final int TRACE_CARRIER_MAX_CHARS = 512;

    private static final UUID NIL = new UUID(0, 0);

    private final int version;
    private final String topic;
    private final String definitionKey;
    private final UUID aggregateId;
    private final DeliveryPolicy policy;
    private final ResolvedEvent event;
    private final Map<String, String> traceCarrier;

    private OutboxEnvelope(int version, String topic, String definitionKey, UUID aggregateId, DeliveryPolicy policy,
            ResolvedEvent event, Map<String, String> traceCarrier) {
        this.version = version;
        this.topic = topic == null ? "" : topic;
        this.definitionKey = definitionKey == null ? "" : definitionKey;
        this.aggregateId = aggregateId;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.event = Objects.requireNonNull(event, "event");
        this.traceCarrier = carrier(traceCarrier);
    }

    /** Keeps the two W3C keys, non-empty and within bounds, in their written order. */
    private static Map<String, String> carrier(Map<String, String> given) {
        if (given == null || given.isEmpty()) {
            return Map.of();
        }
        Map<String, String> kept = new LinkedHashMap<>();
        for (String key : new String[] {TRACEPARENT, TRACESTATE}) {
            String value = given.get(key);
            if (value != null && !value.isEmpty() && value.length() <= TRACE_CARRIER_MAX_CHARS) {
                kept.put(key, value);
            }
        }
        return kept.containsKey(TRACEPARENT) ? Collections.unmodifiableMap(kept) : Map.of();
    }

    /**
     * The envelope of an event about to be parked: version 1, the event's own topic, its aggregate id.
     *
     * @param definitionKey the catalog key (informational); may be empty
     * @param policy the resolved policy, replayed as it is; must not be {@code null}
     * @param event the event with defaults applied; must not be {@code null}
     * @return the envelope
     */
    public static OutboxEnvelope of(String definitionKey, DeliveryPolicy policy, ResolvedEvent event) {
        return new OutboxEnvelope(VERSION, event.topic(), definitionKey, AggregateIds.of(event), policy, event,
                Map.of());
    }

    /**
     * This envelope carrying a W3C trace context.
     *
     * @param carrier {@code traceparent} and optionally {@code tracestate}; other keys, empty values and values longer
     *        than {@value #TRACE_CARRIER_MAX_CHARS} characters are dropped, and without a {@code traceparent} the
     *        carrier is empty; {@code null} means empty
     * @return the envelope with that carrier
     */
    public OutboxEnvelope withTraceCarrier(Map<String, String> carrier) {
        return new OutboxEnvelope(version, topic, definitionKey, aggregateId, policy, event, carrier);
    }

    /**
     * An envelope exactly as read from a row, not yet validated (see {@link #validate()}).
     *
     * @param version the stored version
     * @param topic the stored topic
     * @param definitionKey the stored definition key; may be empty
     * @param aggregateId the stored aggregate id; may be {@code null}
     * @param policy the stored policy; must not be {@code null}
     * @param event the stored event; must not be {@code null}
     * @return the envelope
     */
    public static OutboxEnvelope read(int version, String topic, String definitionKey, UUID aggregateId,
            DeliveryPolicy policy, ResolvedEvent event) {
        return new OutboxEnvelope(version, topic, definitionKey, aggregateId, policy, event, Map.of());
    }

    /**
     * Checks the envelope before it is written or replayed (spec section 8.3): version 1; a topic equal to the topic
     * recomputed from the event, so a tampered row cannot redirect the event; a non-nil aggregate id.
     *
     * @return this envelope
     * @throws StreamingException {@link ErrorCode#UNSUPPORTED_OUTBOX_ENVELOPE_VERSION} or
     *         {@link ErrorCode#INVALID_OUTBOX_ENVELOPE}
     */
    public OutboxEnvelope validate() {
        if (version != VERSION) {
            throw new StreamingException(ErrorCode.UNSUPPORTED_OUTBOX_ENVELOPE_VERSION, Integer.toString(version));
        }
        if (topic.isEmpty()) {
            throw new StreamingException(ErrorCode.INVALID_OUTBOX_ENVELOPE, "outbox envelope topic required");
        }
        String expected = event.topic();
        if (!topic.equals(expected)) {
            throw new StreamingException(ErrorCode.INVALID_OUTBOX_ENVELOPE,
                    "outbox envelope topic \"" + topic + "\" does not match event topic \"" + expected + "\"");
        }
        if (aggregateId == null || NIL.equals(aggregateId)) {
            throw new StreamingException(ErrorCode.INVALID_OUTBOX_ENVELOPE, "outbox envelope aggregate_id required");
        }
        return this;
    }

    /** @return the envelope version */
    public int version() {
        return version;
    }

    /** @return the destination topic, never {@code null} */
    public String topic() {
        return topic;
    }

    /** @return the catalog key, empty when unknown */
    public String definitionKey() {
        return definitionKey;
    }

    /** @return the aggregate id; {@code null} only in an envelope read from a malformed row */
    public UUID aggregateId() {
        return aggregateId;
    }

    /** @return the policy the event is replayed with */
    public DeliveryPolicy policy() {
        return policy;
    }

    /** @return the event */
    public ResolvedEvent event() {
        return event;
    }

    /**
     * @return the W3C trace context of the emit that parked the event: {@code traceparent} and, when present,
     *         {@code tracestate}, in that order; empty when none was carried. Unmodifiable.
     */
    public Map<String, String> traceCarrier() {
        return traceCarrier;
    }

    /** @return the event's partition key, the unit of ordering */
    public String partitionKey() {
        return event.partitionKey();
    }

    /**
     * The envelope's JSON, byte for byte what the Go library writes for the same envelope (its encoder's escaping,
     * the payload compacted). The payload must be valid JSON, as every emitted payload is.
     *
     * @return UTF-8 JSON
     */
    public byte[] toJson() {
        StringBuilder sb = new StringBuilder(512 + event.payloadSize());
        sb.append("{\"version\":").append(version).append(",\"topic\":");
        GoJson.string(sb, topic);
        if (!definitionKey.isEmpty()) {
            sb.append(",\"definition_key\":");
            GoJson.string(sb, definitionKey);
        }
        sb.append(",\"aggregate_id\":");
        GoJson.string(sb, aggregateId == null ? NIL.toString() : aggregateId.toString());
        sb.append(",\"policy\":{\"enabled\":").append(policy.enabled())
                .append(",\"direct\":\"").append(policy.direct().wire())
                .append("\",\"outbox\":\"").append(policy.outbox().wire())
                .append("\",\"dlq\":\"").append(policy.dlq().wire()).append("\"}");
        sb.append(",\"event\":{");
        field(sb, "TenantID", event.tenantId()).append(',');
        field(sb, "ResourceType", event.resourceType()).append(',');
        field(sb, "EventType", event.eventType()).append(',');
        field(sb, "EventID", event.eventId()).append(',');
        field(sb, "SchemaVersion", event.schemaVersion()).append(',');
        field(sb, "Timestamp", event.time()).append(',');
        field(sb, "Source", event.source()).append(',');
        field(sb, "Subject", event.subject()).append(',');
        field(sb, "DataContentType", event.dataContentType()).append(',');
        field(sb, "DataSchema", event.dataSchema()).append(',');
        sb.append("\"SystemEvent\":").append(event.systemEvent()).append(",\"Payload\":");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] payload = GoJson.compact(PayloadArrays.of(event));
        byte[] tail = tail();
        byte[] out = new byte[head.length + payload.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        System.arraycopy(tail, 0, out, head.length + payload.length, tail.length);
        return out;
    }

    /** What follows the payload: the end of {@code event}, the trace carrier when there is one, the end. */
    private byte[] tail() {
        if (traceCarrier.isEmpty()) {
            return new byte[] {'}', '}'};
        }
        StringBuilder sb = new StringBuilder("},\"trace_carrier\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : traceCarrier.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            GoJson.string(sb, e.getKey());
            sb.append(':');
            GoJson.string(sb, e.getValue());
        }
        return sb.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":");
        GoJson.string(sb, value);
        return sb;
    }

    @Override
    public String toString() {
        return "OutboxEnvelope{version=" + version + ", topic=" + topic + ", definitionKey=" + definitionKey
                + ", aggregateId=" + aggregateId + ", event=" + event
                + (traceCarrier.isEmpty() ? "" : ", traceCarrier=" + traceCarrier) + "}";
    }
}
