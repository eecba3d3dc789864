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

    @Test
    void parseRejectsTextThatIsNotRfc3339() {
        assertThrows(DateTimeParseException.class, () -> CloudEventsTime.parse("18/04/2026 10:00"));
    }

    @Test
    void nowUtcIsAtOffsetZero() {
        assertEquals(ZoneOffset.UTC, CloudEventsTime.nowUtc().getOffset());
    }
}
