package studio.lerian.streaming.internal;

/**
 * One log line of the library, {@code streaming: <message> key=value ...}, whose field values cannot forge a field or
 * a line. Values come from callers and rows (tenant ids, event ids, error texts) and may hold spaces, {@code =},
 * quotes or line separators: a value that is empty or holds any of these is written in double quotes, with
 * {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t} and {@code \}{@code uXXXX} for every other control,
 * format or line-separating character (U+2028 among them), as logfmt readers expect. Other values stay bare, so the
 * usual line reads as before. Not thread-safe; build one per log call.
 */
public final class LogLine {

    private final StringBuilder line;

    private LogLine(String message) {
        this.line = new StringBuilder(message.length() + 96).append(message);
    }

    /**
     * @param message the fixed message, e.g. {@code streaming: circuit open}; written as given
     * @return a line with no field yet
     */
    public static LogLine of(String message) {
        return new LogLine(message);
    }

    /**
     * Appends {@code " name=value"}, the value quoted when it needs to be.
     *
     * @param name the field name, one of the library's own ({@code tenant_id}, ...)
     * @param value the value; {@code null} is written as an empty string
     * @return this line
     */
    public LogLine field(String name, Object value) {
        line.append(' ').append(name).append('=');
        appendValue(line, value == null ? "" : value.toString());
        return this;
    }

    /**
     * @param value any text; {@code null} is treated as empty
     * @return the value as a field would hold it: bare when safe, else quoted and escaped
     */
    public static String value(String value) {
        StringBuilder sb = new StringBuilder();
        appendValue(sb, value == null ? "" : value);
        return sb.toString();
    }

    /**
     * @param value any text; {@code null} is treated as empty
     * @return the value always in double quotes, escaped as a field's would be; for messages that quote every value
     */
    public static String quoted(String value) {
        String v = value == null ? "" : value;
        StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
        escape(sb, v);
        return sb.append('"').toString();
    }

    @Override
    public String toString() {
        return line.toString();
    }

    private static void appendValue(StringBuilder sb, String v) {
        if (isBare(v)) {
            sb.append(v);
        } else {
            sb.append('"');
            escape(sb, v);
            sb.append('"');
        }
    }

    private static boolean isBare(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ' ' || c == '=' || c == '"' || c == '\\' || needsEscape(c)) {
                return false;
            }
        }
        return true;
    }

    private static void escape(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (needsEscape(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }

    /** Characters a reader may take for a line break (U+0085 and U+2028 too), or that change how the line displays. */
    private static boolean needsEscape(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
