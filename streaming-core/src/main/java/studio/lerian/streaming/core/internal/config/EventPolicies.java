package studio.lerian.streaming.core.internal.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import studio.lerian.streaming.internal.HeaderValues;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.DirectMode;
import studio.lerian.streaming.DlqMode;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.StreamingException;

/**
 * Parser for the {@code STREAMING_EVENT_POLICIES} grammar: per-event delivery policy overrides set by the deployment.
 *
 * <p>Grammar: entries separated by {@code ,}, {@code ;} or a newline; each entry trimmed, empty entries ignored. An
 * entry is {@code <eventKey>.<attribute>=<value>}, split at the first {@code =}; the left side is split at its last
 * {@code .}. Attributes ({@code enabled}, {@code direct}, {@code outbox}, {@code dlq}) are case-insensitive;
 * {@code enabled} takes {@code true|1|yes} or {@code false|0|no} in any case; modes are exact wire strings. Entries for
 * the same key merge; a repeated attribute takes the last value. At most {@value #MAX_ENTRIES} entries; keys at most
 * {@value #MAX_KEY_BYTES} UTF-8 bytes.
 *
 * <p>Example: {@code transaction.created.outbox=always;transaction.created.direct=skip}.
 */
public final class EventPolicies {

    /** The largest number of entries accepted. */
    public static final int MAX_ENTRIES = 1024;

    /** The largest event key accepted, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 256;

    private EventPolicies() {
    }

    /**
     * Parses the overrides. Keys are not checked against a catalog here; implementations reject unknown keys when they
     * start.
     *
     * @param value the variable's value; {@code null} or blank gives no overrides
     * @return the overrides by event key, sorted by key, unmodifiable
     * @throws StreamingException {@link ErrorCode#INVALID_DELIVERY_POLICY} on any malformed entry, with the Go
     *         library's detail text (e.g. {@code malformed policy entry "a.b"})
     */
    public static Map<String, DeliveryPolicyOverride> parse(String value) {
        if (value == null || value.isBlank()) {
            return Map.of();
        }
        String[] entries = value.replace(';', ',').replace('\n', ',').split(",", -1);
        int count = 0;
        for (String entry : entries) {
            if (!entry.strip().isEmpty()) {
                count++;
            }
        }
        if (count > MAX_ENTRIES) {
            throw invalid("STREAMING_EVENT_POLICIES has " + count + " entries (max " + MAX_ENTRIES + ")");
        }
        Map<String, DeliveryPolicyOverride> result = new LinkedHashMap<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw invalid("malformed policy entry \"" + entry + "\"");
            }
            String left = entry.substring(0, eq).strip();
            String val = entry.substring(eq + 1).strip();
            int dot = left.lastIndexOf('.');
            if (dot <= 0 || dot == left.length() - 1) {
                throw invalid("malformed policy key \"" + left + "\"");
            }
            String key = left.substring(0, dot).strip();
            String attribute = left.substring(dot + 1).strip().toLowerCase(Locale.ROOT);
            if (key.isEmpty() || attribute.isEmpty()) {
                throw invalid("malformed policy key \"" + left + "\"");
            }
            int keyBytes = HeaderValues.utf8Length(key);
            if (keyBytes > MAX_KEY_BYTES) {
                throw invalid("STREAMING_EVENT_POLICIES key exceeds " + MAX_KEY_BYTES + " bytes: " + keyBytes);
            }
            DeliveryPolicyOverride.Builder one = DeliveryPolicyOverride.builder();
            switch (attribute) {
                case "enabled" -> one.enabled(parseBool(key, attribute, val));
                case "direct" -> one.direct(mode(key, attribute, val, DirectMode.fromWire(val)));
                case "outbox" -> one.outbox(mode(key, attribute, val, OutboxMode.fromWire(val)));
                case "dlq" -> one.dlq(mode(key, attribute, val, DlqMode.fromWire(val)));
                default -> throw invalid("unknown policy attribute \"" + attribute + "\"");
            }
            DeliveryPolicyOverride parsed = one.build();
            result.merge(key, parsed, DeliveryPolicyOverride::then);
        }
        return Collections.unmodifiableMap(new TreeMap<>(result));
    }

    private static <T> T mode(String key, String attribute, String value, java.util.Optional<T> mode) {
        return mode.orElseThrow(() -> invalid("key \"" + key + "\": " + attribute + "=\"" + value + "\""));
    }

    private static Boolean parseBool(String key, String attribute, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> Boolean.TRUE;
            case "false", "0", "no" -> Boolean.FALSE;
            default -> throw invalid(key + "." + attribute + "=\"" + value + "\"");
        };
    }

    private static StreamingException invalid(String detail) {
        return new StreamingException(ErrorCode.INVALID_DELIVERY_POLICY, detail);
    }
}
