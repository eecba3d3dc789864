package studio.lerian.streaming.internal;

/**
 * Byte-length and control-character checks for values that travel in Kafka headers. Lengths are UTF-8 byte counts;
 * a control character is a single byte below {@code 0x20} or equal to {@code 0x7F}. Text that cannot be encoded as
 * UTF-8 (an unpaired surrogate) is rejected as well, since it cannot travel unchanged.
 */
public final class HeaderValues {

    private HeaderValues() {
    }

    /**
     * Whether the value fits the header rules.
     *
     * @param value the value; {@code null} counts as empty and passes
     * @param maxBytes the largest allowed UTF-8 length
     * @return {@code true} when the value is at most {@code maxBytes} UTF-8 bytes and free of control characters
     */
    public static boolean isValid(String value, int maxBytes) {
        if (value == null) {
            return true;
        }
        int bytes = 0;
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c < 0x20 || c == 0x7F) {
                    return false;
                }
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
                bytes += 4;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            } else {
                bytes += 3;
            }
            if (bytes > maxBytes) {
                return false;
            }
        }
        return true;
    }

    /**
     * The UTF-8 length of a string, without encoding it.
     *
     * @param value the value; {@code null} counts as empty
     * @return the number of UTF-8 bytes
     */
    public static int utf8Length(String value) {
        if (value == null) {
            return 0;
        }
        int bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Whether every character is in Kafka's topic alphabet {@code [a-zA-Z0-9._-]}.
     *
     * @param value the value; must not be {@code null}
     * @return {@code true} when it is
     */
    public static boolean isTopicSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
