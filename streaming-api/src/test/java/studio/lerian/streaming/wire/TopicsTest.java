package studio.lerian.streaming.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.support.Golden;

class TopicsTest {

    static Stream<Arguments> g4() {
        return Golden.rows("g4-topics.csv", 5).stream()
                .map(r -> Arguments.of(r[0], r[1], r[2], Long.parseLong(r[3]), r[4]));
    }

    @ParameterizedTest(name = "({0}, {1}, \"{2}\") => {4}")
    @MethodSource("g4")
    void topicIsDerivedFromResourceEventAndSchemaMajor(String resource, String event, String version, long major,
            String topic) {
        assertEquals(topic, Topics.topic(resource, event, version));
    }

    @ParameterizedTest(name = "\"{2}\" => major {3}")
    @MethodSource("g4")
    void majorVersionFollowsGoSemverRules(String resource, String event, String version, long major, String topic) {
        assertEquals(major, Topics.majorVersion(version));
    }

    @ParameterizedTest(name = "{4}.dlq")
    @MethodSource("g4")
    void dlqTopicIsTheTopicWithDotDlq(String resource, String event, String version, long major, String topic) {
        assertEquals(topic + ".dlq", Topics.dlqTopic(Topics.topic(resource, event, version)));
    }

    @Test
    void nullSchemaVersionCountsAsEmpty() {
        assertEquals(0, Topics.majorVersion(null));
        assertEquals("lerian.streaming.transaction.created", Topics.topic("transaction", "created", null));
    }

    @ParameterizedTest(name = "\"{0}\" => {1}")
    @CsvSource(delimiter = '|', value = {
        "9223372036854775807|9223372036854775807",
        "9223372036854775808|0",
        "3.0.0-rc.1+build.5|3",
        "3.0.0-01|0",
        "3.0.0-rc..1|0",
        "3.0.0-|0",
        "3.0.0+|0",
        "3.0.0+007|3",
        "3.|0",
        "3.0.|0",
        "3.01.0|0",
        "3.0.0.0|0",
        "' 3.0.0'|0",
        "v3|3",
    })
    void majorVersionEdgeCases(String version, long major) {
        assertEquals(major, Topics.majorVersion(version));
    }
}
