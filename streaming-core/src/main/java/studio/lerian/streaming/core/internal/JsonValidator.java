package studio.lerian.streaming.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Checks that a payload is exactly one syntactically valid JSON value, as Go's {@code json.Valid} does: any value
 * ({@code null}, numbers and strings included), surrounding whitespace allowed; empty input, trailing data, comments,
 * single quotes, {@code NaN} and a byte-order mark are rejected. Uses Jackson's streaming parser without building a
 * tree. Thread-safe.
 */
public final class JsonValidator {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonValidator() {
    }

    /**
     * @param payload the payload bytes
     * @return whether they are exactly one valid JSON value
     */
    public static boolean isValid(byte[] payload) {
        if (payload.length == 0) {
            return false;
        }
        // Jackson skips a UTF-8 byte-order mark silently; Go refuses it.
        if (payload.length >= 3 && (payload[0] & 0xFF) == 0xEF && (payload[1] & 0xFF) == 0xBB
                && (payload[2] & 0xFF) == 0xBF) {
            return false;
        }
        try (JsonParser parser = FACTORY.createParser(payload)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                parser.getText(); // forces decoding, so malformed escapes are caught
            }
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
