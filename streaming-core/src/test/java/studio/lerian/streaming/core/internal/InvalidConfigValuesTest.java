package studio.lerian.streaming.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.internal.LogLine;

/**
 * Every {@link ConfigKey} given a value of each kind of invalid that applies to it (not a number, below its range,
 * above its range or past an int, not one of its words or formats, missing when required) fails what the deployment
 * does with the configuration (load it, build the emitter and its Kafka producer) with a message that names that key,
 * the value and, for a range or format, what the key accepts; so does a policy override that would refuse every emit.
 * The boundary values of every range deploy.
 */
class InvalidConfigValuesTest {

    private static final String OVER_INT = "2147483648";

    private enum Kind { NOT_A_NUMBER, BELOW_RANGE, ABOVE_RANGE, BAD_FORMAT, MISSING, INCONSISTENT }

    /** A key's invalid value, the other properties it needs to be read, and the code it fails with. */
    private record Row(ConfigKey key, Kind kind, String value, Map<String, String> with, ErrorCode code) {
        @Override
        public String toString() {
            return key.env() + "=" + value + " (" + kind + ")";
        }
    }

    /** Keys that take any text: nothing can be invalid about them. */
    private static final Set<ConfigKey> FREE_TEXT = EnumSet.of(ConfigKey.CLIENT_ID);

    private static final Map<String, String> PLAIN_SASL = Map.of("streaming.sasl.mechanism", "PLAIN",
            "streaming.sasl.username", "u", "streaming.sasl.password", "p", "streaming.sasl.allow.plaintext", "true");

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (ConfigKey key : List.of(ConfigKey.ENABLED, ConfigKey.ALLOW_SYSTEM_EVENTS, ConfigKey.TLS_ENABLED,
                ConfigKey.SASL_ALLOW_PLAINTEXT, ConfigKey.OUTBOX_RELAY_ENABLED, ConfigKey.OUTBOX_RELAY_FOREIGN_ROWS)) {
            rows.add(row(key, Kind.BAD_FORMAT, "yes", ErrorCode.INVALID_CONFIG_FIELD));
        }
        // The deprecated alias is read only when the new key is unset.
        rows.add(row(ConfigKey.ALLOW_PLAINTEXT_SASL, Kind.BAD_FORMAT, "on", ErrorCode.INVALID_CONFIG_FIELD));

        rows.add(row(ConfigKey.BROKERS, Kind.MISSING, ",", ErrorCode.MISSING_BROKERS));
        rows.add(row(ConfigKey.BROKERS, Kind.BAD_FORMAT, "kafka-1", ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(ConfigKey.BROKERS, Kind.BAD_FORMAT, "kafka-1:9092,kafka-2:port", ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(ConfigKey.BROKERS, Kind.ABOVE_RANGE, "kafka-1:65536", ErrorCode.INVALID_CONFIG_FIELD));

        ints(rows, ConfigKey.BATCH_LINGER_MS, "-1", OVER_INT);
        ints(rows, ConfigKey.BATCH_MAX_BYTES, "0", OVER_INT);
        ints(rows, ConfigKey.MAX_BUFFERED_RECORDS, "0", OVER_INT);
        ints(rows, ConfigKey.RECORD_RETRIES, "-1", OVER_INT);
        ints(rows, ConfigKey.RECORD_DELIVERY_TIMEOUT_S, "0", "2147484");
        rows.add(row(ConfigKey.RECORD_DELIVERY_TIMEOUT_S, Kind.ABOVE_RANGE, OVER_INT, ErrorCode.INVALID_CONFIG_FIELD));
        ints(rows, ConfigKey.CB_MIN_REQUESTS, "0", OVER_INT);
        ints(rows, ConfigKey.CB_TIMEOUT_S, "-1", OVER_INT);
        ints(rows, ConfigKey.CLOSE_TIMEOUT_S, "0", OVER_INT);
        ints(rows, ConfigKey.OUTBOX_POLL_INTERVAL_MS, "0", OVER_INT);
        ints(rows, ConfigKey.OUTBOX_BATCH_SIZE, "0", "100001");
        ints(rows, ConfigKey.OUTBOX_MAX_ATTEMPTS, "0", OVER_INT);
        ints(rows, ConfigKey.OUTBOX_BACKOFF_INITIAL_MS, "0", OVER_INT);
        ints(rows, ConfigKey.OUTBOX_BACKOFF_MAX_MS, "0", OVER_INT);
        ints(rows, ConfigKey.OUTBOX_STUCK_TIMEOUT_S, "0", OVER_INT);
        ints(rows, ConfigKey.OUTBOX_RETENTION_H, "-1", "876001");
        ints(rows, ConfigKey.OUTBOX_LANES, "0", "4097");
        ints(rows, ConfigKey.OUTBOX_LANE_LEASE_S, "0", "3601");
        ints(rows, ConfigKey.OUTBOX_BATCH_TIMEOUT_S, "0", "86401");
        // In range, but too short for one send to settle with the default delivery timeout of 30 s.
        rows.add(row(ConfigKey.OUTBOX_BATCH_TIMEOUT_S, Kind.INCONSISTENT, "45", ErrorCode.INVALID_CONFIG_FIELD));

        rows.add(row(ConfigKey.CB_FAILURE_RATIO, Kind.NOT_A_NUMBER, "half", ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(ConfigKey.CB_FAILURE_RATIO, Kind.NOT_A_NUMBER, "NaN", ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(ConfigKey.CB_FAILURE_RATIO, Kind.BELOW_RANGE, "0", ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(ConfigKey.CB_FAILURE_RATIO, Kind.ABOVE_RANGE, "1.01", ErrorCode.INVALID_CONFIG_FIELD));

        rows.add(row(ConfigKey.COMPRESSION, Kind.BAD_FORMAT, "brotli", ErrorCode.INVALID_COMPRESSION));
        rows.add(row(ConfigKey.REQUIRED_ACKS, Kind.BAD_FORMAT, "1", ErrorCode.INVALID_ACKS));
        rows.add(row(ConfigKey.CLOUDEVENTS_FORMAT, Kind.BAD_FORMAT, "avro", ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(ConfigKey.OUTBOX_ORDERING, Kind.BAD_FORMAT, "loose", ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(ConfigKey.SASL_MECHANISM, Kind.BAD_FORMAT, "GSSAPI", ErrorCode.INVALID_SASL_MECHANISM));
        rows.add(row(ConfigKey.EVENT_POLICIES, Kind.BAD_FORMAT, "transaction.created.retries=3",
                ErrorCode.INVALID_DELIVERY_POLICY));
        rows.add(row(ConfigKey.EVENT_POLICIES, Kind.BAD_FORMAT, "transaction.created.direct=sometimes",
                ErrorCode.INVALID_DELIVERY_POLICY));

        // Well formed, but every emit of the event would fail: direct=skip needs outbox=always.
        rows.add(row(ConfigKey.EVENT_POLICIES, Kind.INCONSISTENT, "transaction.created.direct=skip",
                ErrorCode.INVALID_DELIVERY_POLICY));
        rows.add(row(ConfigKey.CLOUDEVENTS_SOURCE, Kind.MISSING, "", ErrorCode.MISSING_SOURCE));
        rows.add(row(ConfigKey.CLOUDEVENTS_SOURCE, Kind.BAD_FORMAT, "//lerian\tmidaz", ErrorCode.INVALID_SOURCE));
        rows.add(row(ConfigKey.CLOUDEVENTS_SOURCE, Kind.ABOVE_RANGE, "//" + "s".repeat(2047),
                ErrorCode.INVALID_SOURCE));

        rows.add(row(ConfigKey.TLS_CA_CERT, Kind.BAD_FORMAT, "not base64 at all!!", ErrorCode.INVALID_TLS_CONFIG));
        rows.add(row(ConfigKey.TLS_CA_CERT, Kind.BAD_FORMAT,
                Base64.getEncoder().encodeToString("no certificate".getBytes(StandardCharsets.US_ASCII)),
                ErrorCode.INVALID_TLS_CONFIG));

        Map<String, String> noUser = new HashMap<>(PLAIN_SASL);
        noUser.remove("streaming.sasl.username");
        rows.add(new Row(ConfigKey.SASL_USERNAME, Kind.MISSING, "", noUser, ErrorCode.INVALID_SASL_MECHANISM));
        Map<String, String> noPassword = new HashMap<>(PLAIN_SASL);
        noPassword.remove("streaming.sasl.password");
        rows.add(new Row(ConfigKey.SASL_PASSWORD, Kind.MISSING, "", noPassword, ErrorCode.INVALID_SASL_MECHANISM));
        return rows;
    }

    private static Row row(ConfigKey key, Kind kind, String value, ErrorCode code) {
        return new Row(key, kind, value, Map.of(), code);
    }

    private static void ints(List<Row> rows, ConfigKey key, String below, String above) {
        rows.add(row(key, Kind.NOT_A_NUMBER, "ten", ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(key, Kind.NOT_A_NUMBER, "1.5", ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(key, Kind.BELOW_RANGE, below, ErrorCode.INVALID_CONFIG_FIELD));
        rows.add(row(key, Kind.ABOVE_RANGE, above, ErrorCode.INVALID_CONFIG_FIELD));
    }

    private static Map<String, String> properties(Map<String, String> with, ConfigKey key, String value) {
        Map<String, String> p = new HashMap<>();
        p.put(ConfigKey.ENABLED.property(), "true");
        p.put(ConfigKey.BROKERS.property(), "127.0.0.1:9092");
        p.put(ConfigKey.CLOUDEVENTS_SOURCE.property(), Fixture.SOURCE);
        p.putAll(with);
        if (key == ConfigKey.SASL_USERNAME || key == ConfigKey.SASL_PASSWORD) {
            return p;
        }
        p.put(key.property(), value);
        return p;
    }

    /** What the deployment does with a configuration: load it, then build the emitter with its Kafka producer. */
    private static void deploy(Map<String, String> properties) {
        StreamingConfig config = StreamingConfigLoader.load((Function<String, String>) properties::get);
        KafkaEmitter emitter = EmitterFactory.create(config, Catalog.of(List.of(Fixture.TRANSACTION_CREATED)),
                null);
        emitter.close();
    }

    static Stream<Row> invalid() {
        return rows().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidValueFailsNamingItsKeyTheValueAndWhatIsAccepted(Row row) {
        StreamingException e = assertThrows(StreamingException.class,
                () -> deploy(properties(row.with(), row.key(), row.value())));
        String message = e.getMessage();
        assertEquals(row.code(), e.code(), message);
        assertTrue(message.contains(row.key().env()), () -> "no " + row.key().env() + " in: " + message);
        if (row.kind() != Kind.MISSING) {
            String shown = row.key() == ConfigKey.TLS_CA_CERT ? row.value().substring(0, 12) : row.value();
            // Quoted and escaped as in a log line; the certificate only by its start.
            String quoted = LogLine.quoted(shown);
            assertTrue(message.contains(quoted.substring(0, quoted.length() - 1)), () -> "no value in: " + message);
            if (row.kind() != Kind.INCONSISTENT) {
                assertTrue(message.contains(row.key().accepted()), () -> "no accepted values in: " + message);
            }
        }
    }

    @Test
    void everyKeyThatCanBeInvalidHasRows() {
        Set<ConfigKey> covered = EnumSet.noneOf(ConfigKey.class);
        rows().forEach(r -> covered.add(r.key()));
        covered.addAll(FREE_TEXT);
        assertEquals(EnumSet.allOf(ConfigKey.class), covered);
    }

    /** The documented bounds themselves are accepted, including the ones the Kafka producer has its own rules for. */
    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("bounds")
    void boundaryValuesDeploy(ConfigKey key, String value) {
        deploy(properties(Map.of(), key, value));
    }

    static Stream<Arguments> bounds() {
        return Stream.of(
                Arguments.of(ConfigKey.RECORD_RETRIES, "0"),
                Arguments.of(ConfigKey.RECORD_RETRIES, "2147483647"),
                Arguments.of(ConfigKey.RECORD_DELIVERY_TIMEOUT_S, "1"),
                Arguments.of(ConfigKey.RECORD_DELIVERY_TIMEOUT_S, "2147483"),
                Arguments.of(ConfigKey.BATCH_LINGER_MS, "0"),
                Arguments.of(ConfigKey.BATCH_MAX_BYTES, "1"),
                Arguments.of(ConfigKey.BATCH_MAX_BYTES, "2147483647"),
                Arguments.of(ConfigKey.MAX_BUFFERED_RECORDS, "2147483647"),
                Arguments.of(ConfigKey.CB_TIMEOUT_S, "0"),
                Arguments.of(ConfigKey.CB_MIN_REQUESTS, "2147483647"),
                Arguments.of(ConfigKey.CLOSE_TIMEOUT_S, "2147483647"),
                Arguments.of(ConfigKey.OUTBOX_BATCH_SIZE, "100000"),
                Arguments.of(ConfigKey.OUTBOX_RETENTION_H, "0"),
                Arguments.of(ConfigKey.OUTBOX_RETENTION_H, "876000"),
                Arguments.of(ConfigKey.OUTBOX_LANES, "1"),
                Arguments.of(ConfigKey.OUTBOX_LANES, "4096"),
                Arguments.of(ConfigKey.OUTBOX_LANE_LEASE_S, "3600"),
                Arguments.of(ConfigKey.OUTBOX_BATCH_TIMEOUT_S, "46"),
                Arguments.of(ConfigKey.OUTBOX_BATCH_TIMEOUT_S, "86400"),
                Arguments.of(ConfigKey.OUTBOX_STUCK_TIMEOUT_S, "2147483647"),
                Arguments.of(ConfigKey.BROKERS, "localhost:9092, [::1]:9093,127.0.0.2:1"));
    }
}
