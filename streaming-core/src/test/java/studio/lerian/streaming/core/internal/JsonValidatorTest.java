package studio.lerian.streaming.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Payload validity as Go's {@code json.Valid} decides it (spec section 3.2 step 5, G11). */
class JsonValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"null", "42", "-0.5e10", "\"x\"", " {} ", "\t[1, 2]\n", "true", "false", "{\"a\":{\"b\":[]}}",
        "\"\\u00e9\\n\"", "\"é\"", "[]", "{}", "\r\n{\"amount\":100}\r\n"})
    void singleJsonValueWithSurroundingWhitespaceIsValid(String payload) {
        assertTrue(JsonValidator.isValid(utf8(payload)), payload);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}x", "{'a':1}", "{} {}", "1 2", "{\"a\":1", "{\"a\":1}}", "[1,]", "{\"a\":1,}",
        "NaN", "Infinity", "-Infinity", "01", "+1", ".5", "/* c */ {}", "{} // c", "# c\n{}", "{a:1}", "\"\\x\"",
        "\"tab\there\"", "nul", "tru", " ", "\n", "\"unterminated", "{\"a\" 1}", "\u00a0{}"})
    void anythingElseIsNotJson(String payload) {
        assertFalse(JsonValidator.isValid(utf8(payload)), payload);
    }

    @Test
    void emptyPayloadIsNotJson() {
        assertFalse(JsonValidator.isValid(new byte[0]));
    }

    @Test
    void byteOrderMarkIsRefused() {
        assertFalse(JsonValidator.isValid(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}));
    }

    @Test
    void invalidUtf8IsRefused() {
        assertFalse(JsonValidator.isValid(new byte[] {'"', (byte) 0xC3, '"'}), "truncated 2-byte sequence");
        assertFalse(JsonValidator.isValid(new byte[] {'"', (byte) 0xFF, '"'}), "0xFF is never UTF-8");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
