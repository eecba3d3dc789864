package studio.lerian.streaming.core.internal;

import java.util.Map;
import java.util.Objects;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.internal.PayloadArrays;
import studio.lerian.streaming.wire.CloudEventsTime;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Turns a request into a {@link PreparedEmit}, or rejects it with a caller error, without any I/O (spec sections 3.3
 * and 3.4 steps 2, 3 and 5). Runs outside the circuit breaker, so a caller's mistake never counts as a broker
 * failure. Thread-safe.
 */
final class EmitPreparer {

    private final Catalog catalog;
    private final Map<String, DeliveryPolicyOverride> configOverrides;
    private final String source;
    private final boolean allowSystemEvents;

    EmitPreparer(Catalog catalog, Map<String, DeliveryPolicyOverride> configOverrides, String source,
            boolean allowSystemEvents) {
        this.catalog = catalog;
        this.configOverrides = configOverrides;
        this.source = source;
        this.allowSystemEvents = allowSystemEvents;
    }

    /**
     * The topic a request resolves to, for the metric of a rejected request.
     *
     * @return the definition's topic; {@code __unresolved__} when the key names no definition
     */
    String topicOf(EmitRequest request) {
        return request == null ? studio.lerian.streaming.core.internal.telemetry.Telemetry.UNRESOLVED_TOPIC
                : catalog.lookup(request.definitionKey()).map(EventDefinition::topic)
                        .orElse(studio.lerian.streaming.core.internal.telemetry.Telemetry.UNRESOLVED_TOPIC);
    }

    /**
     * Checks in this order: the definition exists; the policy resolves and is enabled; system events are allowed;
     * a non-system event has a tenant; the payload is valid JSON. Then applies the defaults: a UUIDv7 event id and
     * the current UTC time when the request has none.
     */
    PreparedEmit prepare(EmitRequest request) {
        Objects.requireNonNull(request, "request");
        EventDefinition definition = catalog.require(request.definitionKey());
        DeliveryPolicy policy = DeliveryPolicy.resolve(definition.defaultPolicy(),
                configOverrides.get(definition.key()), request.policyOverride());
        if (!policy.hasDeliveryPath()) {
            throw new StreamingException(ErrorCode.EVENT_DISABLED);
        }
        if (definition.systemEvent() && !allowSystemEvents) {
            throw new StreamingException(ErrorCode.SYSTEM_EVENTS_NOT_ALLOWED);
        }
        if (!definition.systemEvent() && request.tenantId().isEmpty()) {
            throw new StreamingException(ErrorCode.MISSING_TENANT_ID);
        }
        byte[] payload = PayloadArrays.of(request);
        if (!JsonValidator.isValid(payload)) {
            throw new StreamingException(ErrorCode.NOT_JSON);
        }
        ResolvedEvent event = PayloadArrays.adopt(ResolvedEvent.builder(), payload)
                .tenantId(request.tenantId())
                .resourceType(definition.resourceType())
                .eventType(definition.eventType())
                .eventId(request.eventId().isEmpty() ? EventIds.next() : request.eventId())
                .schemaVersion(definition.schemaVersion())
                .timestamp(request.timestamp().orElseGet(CloudEventsTime::nowUtc))
                .source(source)
                .subject(request.subject())
                .dataContentType(definition.dataContentType())
                .dataSchema(definition.dataSchema())
                .systemEvent(definition.systemEvent())
                .build();
        return new PreparedEmit(definition, policy, event);
    }
}
