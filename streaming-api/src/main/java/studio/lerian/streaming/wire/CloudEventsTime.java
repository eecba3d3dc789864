package studio.lerian.streaming.wire;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * The {@code ce-time} format: RFC 3339 with nanoseconds and trailing fractional zeros removed (Go's
 * {@code RFC3339Nano}): no fraction when it is zero, {@code Z} for a zero offset, {@code ±hh:mm} otherwise.
 * Hand-written because {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} keeps seconds of zero and pads fractions.
 */
public final class CloudEventsTime {

    /**
     * RFC 3339 {@code date-time}: four-digit year, seconds required, an optional fraction of one to nine digits, and
     * {@code Z} or {@code ±hh:mm}. {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} is laxer (seconds optional,
     * {@code +hh} and {@code +hh:mm:ss} offsets, years beyond four digits), so Go would reject what it accepts.
     */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral('-')
            .appendValue(ChronoField.MONTH_OF_YEAR, 2)
            .appendLiteral('-')
            .appendValue(ChronoField.DAY_OF_MONTH, 2)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT)
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    private CloudEventsTime() {
    }

    /**
     * Formats an instant with its offset.
     *
     * @param time the time; must not be {@code null}
     * @return e.g. {@code 2026-04-18T10:00:00.5Z} or {@code 2026-04-18T12:00:00+02:00}
     */
    public static String format(OffsetDateTime time) {
        StringBuilder sb = new StringBuilder(35);
        pad(sb, time.getYear(), 4).append('-');
        pad(sb, time.getMonthValue(), 2).append('-');
        pad(sb, time.getDayOfMonth(), 2).append('T');
        pad(sb, time.getHour(), 2).append(':');
        pad(sb, time.getMinute(), 2).append(':');
        pad(sb, time.getSecond(), 2);
        int nanos = time.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            sb.append('.');
            pad(sb, nanos, digits);
        }
        int offset = time.getOffset().getTotalSeconds();
        if (offset == 0) {
            return sb.append('Z').toString();
        }
        int minutes = Math.abs(offset) / 60;
        sb.append(offset < 0 ? '-' : '+');
        pad(sb, minutes / 60, 2).append(':');
        return pad(sb, minutes % 60, 2).toString();
    }

    /**
     * Parses an RFC 3339 time with an optional fraction of up to nine digits. As RFC 3339 allows, {@code T} and
     * {@code Z} may be lower case.
     *
     * @param text the text; must not be {@code null}
     * @return the time with its offset
     * @throws DateTimeParseException when the text is not RFC 3339
     */
    public static OffsetDateTime parse(String text) {
        return OffsetDateTime.parse(text, RFC_3339);
    }

    /**
     * The current time in UTC, the default of an event without a caller-supplied time.
     *
     * @return now, at offset zero
     */
    public static OffsetDateTime nowUtc() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
