package studio.lerian.streaming.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The byte format of Go's {@code encoding/json} encoder, for the outbox envelope that Go and Java relays share:
 * strings escaped as Go escapes them (including {@code <}, {@code >}, {@code &}, U+2028 and U+2029), and embedded raw
 * JSON compacted as Go's {@code json.Compact} with HTML escaping. Hand-written because no Java JSON library reproduces
 * Go's escaping byte for byte, and the envelope must be byte-identical across languages.
 */
final class GoJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    /** Appends a JSON string literal, Go-escaped. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(out, c);
                default -> {
                    if (c < 0x20) {
                        unicode(out, c);
                    } else if (Character.isSurrogate(c) && !validPair(s, i)) {
                        out.append("\\ufffd"); // Go replaces invalid UTF-8 with U+FFFD
                    } else {
                        out.append(c);
                        if (Character.isHighSurrogate(c)) {
                            out.append(s.charAt(++i));
                        }
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Go's {@code json.Compact} with HTML escaping over valid JSON: whitespace outside strings removed,
     * {@code <}, {@code >}, {@code &}, U+2028 and U+2029 written as {@code \}{@code u} escapes, everything else copied.
     */
    static byte[] compact(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            int b = json[i] & 0xFF;
            if (inString) {
                if (b == '\\') {
                    out.write(b);
                    out.write(json[++i]);
                    continue;
                }
                if (b == '"') {
                    inString = false;
                }
            } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                continue;
            } else if (b == '"') {
                inString = true;
                out.write(b);
                continue;
            }
            if (b == '<' || b == '>' || b == '&') {
                writeAscii(out, "\\u00" + HEX[b >> 4] + HEX[b & 0xF]);
            } else if (b == 0xE2 && i + 2 < json.length && (json[i + 1] & 0xFF) == 0x80
                    && ((json[i + 2] & 0xFF) == 0xA8 || (json[i + 2] & 0xFF) == 0xA9)) {
                writeAscii(out, (json[i + 2] & 0xFF) == 0xA8 ? "\\u2028" : "\\u2029");
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
