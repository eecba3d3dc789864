package studio.lerian.streaming.core.internal.outbox;

import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.JsonValidator;
import studio.lerian.streaming.internal.HeaderValues;
import studio.lerian.streaming.internal.PayloadArrays;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The checks a stored event passes again before it is relayed (spec section 8.6 step 4): every header rule, the
 * tenant rule, the system-event opt-in, and the payload's size and JSON validity. A row written before a rule was
 * tightened, or edited in the table, is refused rather than published.
 */
final class ReplayPreflight {

    private ReplayPreflight() {
    }

    /**
     * Every check, the payload's JSON validity included.
     *
     * @param e the stored event
     * @param allowSystemEvents whether system events may be relayed
     */
    static void check(ResolvedEvent e, boolean allowSystemEvents) {
        checkAttributes(e, allowSystemEvents);
        require(JsonValidator.isValid(PayloadArrays.of(e)), ErrorCode.NOT_JSON);
    }

    /**
     * The checks of an event read by {@link EnvelopeDecoder}, which took the payload as the bytes of one whole JSON
     * value of the row, read through by its parser: the check {@link JsonValidator} would make again (the decoder and
     * the validator use the same parser, and a value inside a document has no byte-order mark or trailing data). Only
     * a payload missing from the envelope (empty) is refused as not JSON; the relay thus parses each payload once.
     *
     * @param e an event decoded from an outbox envelope
     * @param allowSystemEvents whether system events may be relayed
     */
    static void checkDecoded(ResolvedEvent e, boolean allowSystemEvents) {
        checkAttributes(e, allowSystemEvents);
        require(e.payloadSize() > 0, ErrorCode.NOT_JSON);
    }

    private static void checkAttributes(ResolvedEvent e, boolean allowSystemEvents) {
        if (e.systemEvent() && !allowSystemEvents) {
            throw new StreamingException(ErrorCode.SYSTEM_EVENTS_NOT_ALLOWED);
        }
        require(!e.resourceType().isEmpty(), ErrorCode.MISSING_RESOURCE_TYPE);
        require(!e.eventType().isEmpty(), ErrorCode.MISSING_EVENT_TYPE);
        require(e.systemEvent() || !e.tenantId().isEmpty(), ErrorCode.MISSING_TENANT_ID);
        require(!e.source().isEmpty(), ErrorCode.MISSING_SOURCE);
        require(HeaderValues.isValid(e.tenantId(), 256), ErrorCode.INVALID_TENANT_ID);
        require(HeaderValues.isValid(e.resourceType(), 128) && HeaderValues.isTopicSafe(e.resourceType()),
                ErrorCode.INVALID_RESOURCE_TYPE);
        require(HeaderValues.isValid(e.eventType(), 128) && HeaderValues.isTopicSafe(e.eventType()),
                ErrorCode.INVALID_EVENT_TYPE);
        require(HeaderValues.isValid(e.source(), 2048), ErrorCode.INVALID_SOURCE);
        require(HeaderValues.isValid(e.subject(), 1024), ErrorCode.INVALID_SUBJECT);
        require(HeaderValues.isValid(e.eventId(), 256), ErrorCode.INVALID_EVENT_ID);
        require(HeaderValues.isValid(e.schemaVersion(), 64), ErrorCode.INVALID_SCHEMA_VERSION);
        require(HeaderValues.isValid(e.dataContentType(), 256), ErrorCode.INVALID_DATA_CONTENT_TYPE);
        require(HeaderValues.isValid(e.dataSchema(), 2048), ErrorCode.INVALID_DATA_SCHEMA);
        require(e.payloadSize() <= EmitRequest.MAX_PAYLOAD_BYTES, ErrorCode.PAYLOAD_TOO_LARGE);
    }

    private static void require(boolean ok, ErrorCode code) {
        if (!ok) {
            throw new StreamingException(code);
        }
    }
}
