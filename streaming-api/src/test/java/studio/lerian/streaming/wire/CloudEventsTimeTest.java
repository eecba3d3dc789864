package studio.lerian.streaming.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import studio.lerian.streaming.support.Golden;

class CloudEventsTimeTest {

    static Stream<Arguments> g3() {
        return Golden.rows("g3-ce-time.csv", 2).stream()
                .map(r -> Arguments.of(OffsetDateTime.parse(r[0]), r[1]));
    }

    @ParameterizedTest(name = "{0} => {1}")
    @MethodSource("g3")
    void formatsAsRfc3339WithTrailingFractionZerosRemoved(OffsetDateTime instant, String expected) {
        assertEquals(expected, CloudEventsTime.format(instant));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("g3")
    void parsingTheFormattedTimeGivesBackTheSameInstantAndOffset(OffsetDateTime instant, String formatted) {
        OffsetDateTime parsed = CloudEventsTime.parse(formatted);
        assertEquals(instant, parsed);
        assertEquals(formatted, CloudEventsTime.format(parsed));
    }

    @Test
    void negativeOffsetsAreWrittenWithMinutes() {
        OffsetDateTime t = OffsetDateTime.of(2026, 4, 18, 6, 30, 0, 0, ZoneOffset.ofHoursMinutes(-3, -30));
        assertEquals("2026-04-18T06:30:00-03:30", CloudEventsTime.format(t));
    }

    @Test
    void utcZoneOffsetIsWrittenAsZ() {
        OffsetDateTime t = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
        assertEquals("2026-01-02T03:04:05Z", CloudEventsTime.format(t));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "18/04/2026 10:00",
        "2026-04-18T10:00Z",
        "2026-04-18 10:00:00Z",
        "2026-04-18T10:00:00",
        "2026-04-18T10:00:00+02",
        "2026-04-18T10:00:00+0200",
        "2026-04-18T10:00:00+02:00:30",
        "+12026-04-18T10:00:00Z",
        "2026-4-18T10:00:00Z",
        "2026-04-18T10:00:00.Z",
        "2026-04-18T10:00:00.1234567891Z",
        "2026-02-30T10:00:00Z",
        "2026-04-18T24:00:00Z",
        "2026-04-18T10:00:60Z",
        "",
    })
    void parseRejectsTextThatIsNotRfc3339(String text) {
        assertThrows(DateTimeParseException.class, () -> CloudEventsTime.parse(text));
    }

    @Test
    void parseAcceptsLowerCaseTAndZAsRfc3339Allows() {
        assertEquals(OffsetDateTime.parse("2026-04-18T10:00:00Z"), CloudEventsTime.parse("2026-04-18t10:00:00z"));
    }

    @Test
    void parseKeepsANegativeOffset() {
        assertEquals(ZoneOffset.ofHoursMinutes(-3, -30),
                CloudEventsTime.parse("2026-04-18T06:30:00.25-03:30").getOffset());
    }

    @Test
    void nowUtcIsAtOffsetZero() {
        assertEquals(ZoneOffset.UTC, CloudEventsTime.nowUtc().getOffset());
    }
}
