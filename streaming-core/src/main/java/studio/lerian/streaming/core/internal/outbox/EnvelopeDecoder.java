package studio.lerian.streaming.core.internal.outbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.DirectMode;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.wire.CloudEventsTime;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Reads an outbox envelope written by this library or by the Go library. Keys are matched case-insensitively, as Go's
 * decoder does, and the payload is taken as the exact bytes of its JSON value in the row (not re-encoded), so a
 * relayed record carries what was stored. Uses Jackson's streaming parser. Thread-safe.
 */
public final class EnvelopeDecoder {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private EnvelopeDecoder() {
    }

    /**
     * Decodes the envelope; does not validate it (see {@link OutboxEnvelope#validate()}).
     *
     * @param json the row's envelope bytes
     * @return the envelope
     * @throws StreamingException {@link ErrorCode#INVALID_OUTBOX_ENVELOPE} when the bytes are not an envelope
     */
    public static OutboxEnvelope decode(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "envelope");
            int version = 0;
            String topic = "";
            String definitionKey = "";
            UUID aggregateId = null;
            DeliveryPolicy policy = null;
            ResolvedEvent event = null;
            Map<String, String> carrier = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName().toLowerCase(Locale.ROOT);
                JsonToken value = p.nextToken();
                switch (name) {
                    case "version" -> version = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "topic" -> topic = text(p, value);
                    case "definition_key" -> definitionKey = text(p, value);
                    case "aggregate_id" -> aggregateId = uuid(text(p, value));
                    case "policy" -> policy = policy(p, value);
                    case "event" -> event = event(p, value, json);
                    case "trace_carrier" -> carrier = carrier(p, value);
                    default -> p.skipChildren();
                }
            }
            if (policy == null || event == null) {
                throw invalid("outbox envelope lacks " + (policy == null ? "policy" : "event"));
            }
            return OutboxEnvelope.read(version, topic, definitionKey, aggregateId, policy, event)
                    .withTraceCarrier(carrier);
        } catch (IOException | DateTimeException | IllegalArgumentException e) {
            throw new StreamingException(ErrorCode.INVALID_OUTBOX_ENVELOPE, "unreadable outbox envelope: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The optional trace carrier: string values by key. Trace context is best effort, so a carrier that is not an
     * object of strings is ignored rather than failing the row.
     */
    private static Map<String, String> carrier(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> carrier = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName().toLowerCase(Locale.ROOT);
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING) {
                carrier.put(name, p.getText());
            } else {
                p.skipChildren();
            }
        }
        return carrier;
    }

    private static DeliveryPolicy policy(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_OBJECT, "policy");
        boolean enabled = false;
        String direct = "";
        String outbox = "";
        String dlq = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName().toLowerCase(Locale.ROOT);
            JsonToken value = p.nextToken();
            switch (name) {
                case "enabled" -> enabled = value == JsonToken.VALUE_TRUE;
                case "direct" -> direct = text(p, value);
                case "outbox" -> outbox = text(p, value);
                case "dlq" -> dlq = text(p, value);
                default -> p.skipChildren();
            }
        }
        // Go backfills empty modes with the defaults when it normalises a stored policy.
        DeliveryPolicy d = DeliveryPolicy.defaults();
        return DeliveryPolicy.of(enabled,
                mode(direct, d.direct(), DirectMode.fromWire(direct), "direct"),
                mode(outbox, d.outbox(), OutboxMode.fromWire(outbox), "outbox"),
                mode(dlq, d.dlq(), DlqMode.fromWire(dlq), "dlq"));
    }

    private static <T> T mode(String wire, T fallback, java.util.Optional<T> parsed, String attribute) {
        if (wire.isEmpty()) {
            return fallback;
        }
        return parsed.orElseThrow(() -> invalid(attribute + "=\"" + wire + "\""));
    }

    private static ResolvedEvent event(JsonParser p, JsonToken start, byte[] json) throws IOException {
        expect(start, JsonToken.START_OBJECT, "event");
        ResolvedEvent.Builder b = ResolvedEvent.builder();
        boolean timed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName().toLowerCase(Locale.ROOT);
            JsonToken value = p.nextToken();
            switch (name) {
                case "tenantid" -> b.tenantId(text(p, value));
                case "resourcetype" -> b.resourceType(text(p, value));
                case "eventtype" -> b.eventType(text(p, value));
                case "eventid" -> b.eventId(text(p, value));
                case "schemaversion" -> b.schemaVersion(text(p, value));
                case "timestamp" -> {
                    b.timestamp(CloudEventsTime.parse(text(p, value)));
                    timed = true;
                }
                case "source" -> b.source(text(p, value));
                case "subject" -> b.subject(text(p, value));
                case "datacontenttype" -> b.dataContentType(text(p, value));
                case "dataschema" -> b.dataSchema(text(p, value));
                case "systemevent" -> b.systemEvent(value == JsonToken.VALUE_TRUE);
                case "payload" -> b.payload(raw(p, json));
                default -> p.skipChildren();
            }
        }
        if (!timed) {
            throw invalid("outbox envelope event lacks Timestamp");
        }
        return b.build();
    }

    /** The exact bytes of the current value in the source. */
    private static byte[] raw(JsonParser p, byte[] json) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken(); // scalars are read lazily; consume the whole token before measuring its end
        }
        int end = (int) p.currentLocation().getByteOffset();
        return Arrays.copyOfRange(json, start, end);
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return "";
        }
        if (value != JsonToken.VALUE_STRING) {
            throw invalid("field " + p.currentName() + " must be a string");
        }
        return p.getText();
    }

    private static UUID uuid(String text) {
        return text.isEmpty() ? null : UUID.fromString(text);
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw invalid(what + " must be a JSON object");
        }
    }

    private static StreamingException invalid(String detail) {
        return new StreamingException(ErrorCode.INVALID_OUTBOX_ENVELOPE, detail);
    }
}
