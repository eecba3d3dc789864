package studio.lerian.streaming.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.core.support.TestCertificates;

/** Section 1 of the spec: defaults, validate-only-when-enabled, and every rejection naming variable, value and rule. */
class StreamingConfigLoaderTest {

    private static final String SOURCE = "//lerian.midaz/transaction-service";

    /** The minimal enabled configuration: everything else is left to its default. */
    private static Map<String, String> enabled() {
        Map<String, String> p = new HashMap<>();
        p.put("streaming.enabled", "true");
        p.put("streaming.cloudevents.source", SOURCE);
        return p;
    }

    private static StreamingConfig load(Map<String, String> properties) {
        return StreamingConfigLoader.load((Function<String, String>) properties::get);
    }

    private static StreamingConfig loadWith(String property, String value) {
        Map<String, String> p = enabled();
        p.put(property, value);
        return load(p);
    }

    private static StreamingException rejected(Map<String, String> properties) {
        return assertThrows(StreamingException.class, () -> load(properties));
    }

    private static StreamingException rejected(String property, String value) {
        Map<String, String> p = enabled();
        p.put(property, value);
        return rejected(p);
    }

    @Test
    void everyKeyUnsetLoadsItsDocumentedDefault() {
        StreamingConfig c = load(enabled());

        Map<ConfigKey, String> loaded = new EnumMap<>(ConfigKey.class);
        loaded.put(ConfigKey.BROKERS, String.join(",", c.brokers()));
        loaded.put(ConfigKey.CLIENT_ID, c.clientId());
        loaded.put(ConfigKey.BATCH_LINGER_MS, String.valueOf(c.lingerMs()));
        loaded.put(ConfigKey.BATCH_MAX_BYTES, String.valueOf(c.batchMaxBytes()));
        loaded.put(ConfigKey.MAX_BUFFERED_RECORDS, String.valueOf(c.maxBufferedRecords()));
        loaded.put(ConfigKey.COMPRESSION, c.compression());
        loaded.put(ConfigKey.RECORD_RETRIES, String.valueOf(c.recordRetries()));
        loaded.put(ConfigKey.RECORD_DELIVERY_TIMEOUT_S, String.valueOf(c.deliveryTimeout().toSeconds()));
        loaded.put(ConfigKey.REQUIRED_ACKS, c.requiredAcks());
        loaded.put(ConfigKey.CB_FAILURE_RATIO, String.valueOf(c.cbFailureRatio()));
        loaded.put(ConfigKey.CB_MIN_REQUESTS, String.valueOf(c.cbMinRequests()));
        loaded.put(ConfigKey.CB_TIMEOUT_S, String.valueOf(c.cbTimeout().toSeconds()));
        loaded.put(ConfigKey.CLOSE_TIMEOUT_S, String.valueOf(c.closeTimeout().toSeconds()));
        loaded.put(ConfigKey.CLOUDEVENTS_FORMAT, c.format().wire());
        loaded.put(ConfigKey.EVENT_POLICIES, c.policyOverrides().isEmpty() ? "" : c.policyOverrides().toString());
        loaded.put(ConfigKey.ALLOW_SYSTEM_EVENTS, String.valueOf(c.allowSystemEvents()));
        loaded.put(ConfigKey.TLS_ENABLED, String.valueOf(c.tls()));
        loaded.put(ConfigKey.TLS_CA_CERT, c.tlsCaCertPem());
        loaded.put(ConfigKey.SASL_MECHANISM, c.saslMechanism());
        loaded.put(ConfigKey.SASL_USERNAME, c.saslUsername());
        loaded.put(ConfigKey.SASL_PASSWORD, c.saslPassword());
        loaded.put(ConfigKey.SASL_ALLOW_PLAINTEXT, String.valueOf(c.saslAllowPlaintext()));
        loaded.put(ConfigKey.ALLOW_PLAINTEXT_SASL, String.valueOf(c.saslAllowPlaintext()));
        StreamingConfig.OutboxSettings o = c.outbox();
        loaded.put(ConfigKey.OUTBOX_ORDERING, o.strictOrder() ? "strict" : "relaxed");
        loaded.put(ConfigKey.OUTBOX_RELAY_ENABLED, String.valueOf(o.relayEnabled()));
        loaded.put(ConfigKey.OUTBOX_POLL_INTERVAL_MS, String.valueOf(o.pollInterval().toMillis()));
        loaded.put(ConfigKey.OUTBOX_BATCH_SIZE, String.valueOf(o.batchSize()));
        loaded.put(ConfigKey.OUTBOX_MAX_ATTEMPTS, String.valueOf(o.maxAttempts()));
        loaded.put(ConfigKey.OUTBOX_BACKOFF_INITIAL_MS, String.valueOf(o.backoffInitial().toMillis()));
        loaded.put(ConfigKey.OUTBOX_BACKOFF_MAX_MS, String.valueOf(o.backoffMax().toMillis()));
        loaded.put(ConfigKey.OUTBOX_STUCK_TIMEOUT_S, String.valueOf(o.stuckTimeout().toSeconds()));
        loaded.put(ConfigKey.OUTBOX_RETENTION_H, String.valueOf(o.retention().toHours()));
        loaded.put(ConfigKey.OUTBOX_LANES, String.valueOf(o.lanes()));
        loaded.put(ConfigKey.OUTBOX_LANE_LEASE_S, String.valueOf(o.laneLease().toSeconds()));
        loaded.put(ConfigKey.OUTBOX_RELAY_FOREIGN_ROWS, String.valueOf(o.foreignRows()));
        loaded.put(ConfigKey.OUTBOX_BATCH_TIMEOUT_S, String.valueOf(o.batchTimeout().toSeconds()));
        assertEquals(o, StreamingConfig.OutboxSettings.DEFAULTS, "unset outbox keys load OutboxSettings.DEFAULTS");

        // Set by enabled() on purpose: the switch itself and the one key without a usable default.
        Set<ConfigKey> notDefaulted = EnumSet.of(ConfigKey.ENABLED, ConfigKey.CLOUDEVENTS_SOURCE);
        assertEquals(EnumSet.complementOf(EnumSet.copyOf(notDefaulted)), loaded.keySet(),
                "a key was added to ConfigKey without a default check here");
        for (Map.Entry<ConfigKey, String> e : loaded.entrySet()) {
            String expected = e.getKey().defaultValue();
            if (e.getKey() == ConfigKey.CB_FAILURE_RATIO) {
                assertEquals(Double.parseDouble(expected), c.cbFailureRatio(), e.getKey().env());
            } else {
                assertEquals(expected, e.getValue(), e.getKey().env());
            }
        }
        assertTrue(c.active());
        assertTrue(c.idempotent());
        assertEquals(RecordFormat.LERIAN, c.format());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void enabledDefaultsToFalse() {
        assertEquals("false", ConfigKey.ENABLED.defaultValue());
        StreamingConfig c = load(Map.of());
        assertFalse(c.enabled());
        assertFalse(c.active());
    }

    @Test
    void propertyNamesFollowTheEnvironmentVariables() {
        for (ConfigKey k : ConfigKey.values()) {
            assertEquals(k.env().toLowerCase(java.util.Locale.ROOT).replace('_', '.'), k.property());
        }
        assertEquals("streaming.record.delivery.timeout.s", ConfigKey.RECORD_DELIVERY_TIMEOUT_S.property());
    }

    @Test
    void disabledConfigurationLoadsWhateverTheOtherKeysHold() {
        Map<String, String> garbage = new HashMap<>();
        garbage.put("streaming.enabled", "false");
        for (ConfigKey k : ConfigKey.values()) {
            if (k != ConfigKey.ENABLED) {
                garbage.put(k.property(), "nope \u0000");
            }
        }
        StreamingConfig c = load(garbage);
        assertFalse(c.enabled());
        assertFalse(c.active());

        garbage.remove("streaming.enabled");
        assertFalse(load(garbage).enabled(), "unset switch means disabled, and nothing is validated");
    }

    @Test
    void blankValuesTakeTheDefault() {
        StreamingConfig c = loadWith("streaming.compression", "   ");
        assertEquals("lz4", c.compression());
    }

    @Test
    void brokerListIsTrimmedAndEmptyEntriesDropped() {
        StreamingConfig c = loadWith("streaming.brokers", " a:9092 ,, b:9093 ,");
        assertEquals(List.of("a:9092", "b:9093"), c.brokers());
    }

    @Test
    void compressionOutsideTheListNamesVariableValueAndAccepted() {
        StreamingException e = rejected("streaming.compression", "LZ4");
        assertEquals(ErrorCode.INVALID_COMPRESSION, e.code());
        assertEquals("streaming: invalid compression codec: STREAMING_COMPRESSION=\"LZ4\""
                + " (accepted: snappy|lz4|zstd|gzip|none)", e.getMessage());
        assertTrue(StreamingErrors.isCallerError(e));
    }

    @Test
    void compressionIsNotTrimmed() {
        StreamingException e = rejected("streaming.compression", " lz4");
        assertEquals(ErrorCode.INVALID_COMPRESSION, e.code());
        assertTrue(e.getMessage().contains("STREAMING_COMPRESSION=\" lz4\""), e.getMessage());
    }

    @Test
    void everyAcceptedCompressionLoads() {
        for (String codec : List.of("snappy", "lz4", "zstd", "gzip", "none")) {
            assertEquals(codec, loadWith("streaming.compression", codec).compression());
        }
    }

    @Test
    void acksOutsideTheListAreRejected() {
        StreamingException e = rejected("streaming.required.acks", "1");
        assertEquals(ErrorCode.INVALID_ACKS, e.code());
        assertEquals("streaming: invalid required-acks value: STREAMING_REQUIRED_ACKS=\"1\""
                + " (accepted: all|leader|none)", e.getMessage());
    }

    @Test
    void acksOtherThanAllTurnIdempotenceOffWithAWarning() {
        StreamingConfig c = loadWith("streaming.required.acks", "leader");
        assertFalse(c.idempotent());
        assertEquals(1, c.warnings().size());
        assertTrue(c.warnings().get(0).contains("STREAMING_REQUIRED_ACKS=leader"), c.warnings().toString());
    }

    @ParameterizedTest(name = "delivery {0} s, batch timeout {1} -> {2} s")
    @CsvSource({"30, , 60", "40, , 80", "30, 46, 46", "2, 4, 4", "30, 600, 600"})
    void theRelayBatchTimeoutDefaultsToSixtySecondsOrTwiceTheDeliveryTimeout(String delivery, String batch,
            long expected) {
        Map<String, String> p = enabled();
        p.put("streaming.record.delivery.timeout.s", delivery);
        if (batch != null) {
            p.put("streaming.outbox.batch.timeout.s", batch);
        }
        assertEquals(Duration.ofSeconds(expected), load(p).outbox().batchTimeout());
    }

    @Test
    void aRelayBatchTimeoutTooShortForOneSendIsRejectedNamingBothKeys() {
        Map<String, String> p = enabled();
        p.put("streaming.record.delivery.timeout.s", "30");
        p.put("streaming.outbox.batch.timeout.s", "45");
        StreamingException e = assertThrows(StreamingException.class, () -> load(p));
        assertEquals(ErrorCode.INVALID_CONFIG_FIELD, e.code());
        assertEquals("streaming: invalid config field value: STREAMING_OUTBOX_BATCH_TIMEOUT_S=\"45\" must be at"
                + " least 46 (1.5 x STREAMING_RECORD_DELIVERY_TIMEOUT_S=\"30\", plus 1 s to send in)", e.getMessage());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "streaming.batch.linger.ms           | -1    | STREAMING_BATCH_LINGER_MS=\"-1\" (accepted: int ms, >= 0)",
        "streaming.record.delivery.timeout.s | 0     | STREAMING_RECORD_DELIVERY_TIMEOUT_S=\"0\" (accepted: int s, 1..2147483)",
        "streaming.cb.failure.ratio          | 0     | STREAMING_CB_FAILURE_RATIO=\"0\" (accepted: float, (0,1])",
        "streaming.cb.failure.ratio          | 1.5   | STREAMING_CB_FAILURE_RATIO=\"1.5\" (accepted: float, (0,1])",
        "streaming.cb.failure.ratio          | half  | STREAMING_CB_FAILURE_RATIO=\"half\" (accepted: float, (0,1])",
        "streaming.batch.max.bytes           | 1MiB  | STREAMING_BATCH_MAX_BYTES=\"1MiB\" (accepted: int bytes, > 0)",
        "streaming.batch.max.bytes           | 0     | STREAMING_BATCH_MAX_BYTES=\"0\" (accepted: int bytes, > 0)",
        "streaming.max.buffered.records      | 0     | STREAMING_MAX_BUFFERED_RECORDS=\"0\" (accepted: int, > 0)",
        "streaming.record.retries            | ten   | STREAMING_RECORD_RETRIES=\"ten\" (accepted: int, >= 0)",
        "streaming.cb.min.requests           | 0     | STREAMING_CB_MIN_REQUESTS=\"0\" (accepted: int, >= 1)",
        "streaming.cb.timeout.s              | -5    | STREAMING_CB_TIMEOUT_S=\"-5\" (accepted: int s, >= 0)",
        "streaming.close.timeout.s           | 30s   | STREAMING_CLOSE_TIMEOUT_S=\"30s\" (accepted: int s, > 0)",
        "streaming.batch.linger.ms           | 99999999999 | STREAMING_BATCH_LINGER_MS=\"99999999999\" (accepted: int ms, >= 0)",
        "streaming.allow.system.events       | yes   | STREAMING_ALLOW_SYSTEM_EVENTS=\"yes\" (accepted: bool)",
        "streaming.tls.enabled               | on    | STREAMING_TLS_ENABLED=\"on\" (accepted: bool)",
        "streaming.outbox.relay.foreign.rows | yes   | STREAMING_OUTBOX_RELAY_FOREIGN_ROWS=\"yes\" (accepted: bool)",
        "streaming.outbox.batch.timeout.s    | 0     | STREAMING_OUTBOX_BATCH_TIMEOUT_S=\"0\" (accepted: int s, 1.5 x delivery timeout + 1..86400)",
    })
    void outOfRangeOrUnparsableValuesAreRejectedNotDefaulted(String property, String value, String detail) {
        StreamingException e = rejected(property, value);
        assertEquals(ErrorCode.INVALID_CONFIG_FIELD, e.code());
        assertEquals("streaming: invalid config field value: " + detail, e.getMessage());
        assertTrue(StreamingErrors.isCallerError(e));
    }

    @Test
    void unknownRecordFormatIsRejectedWithTheAcceptedOnes() {
        StreamingException e = rejected("streaming.cloudevents.format", "json");
        assertEquals(ErrorCode.INVALID_CONFIG_FIELD, e.code());
        assertEquals("streaming: invalid config field value: STREAMING_CLOUDEVENTS_FORMAT=\"json\""
                + " (accepted: lerian|kafka-binary|kafka-structured)", e.getMessage());
    }

    @Test
    void enabledSwitchItselfMustBeABool() {
        StreamingException e = rejected(Map.of("streaming.enabled", "yes"));
        assertEquals(ErrorCode.INVALID_CONFIG_FIELD, e.code());
        assertTrue(e.getMessage().contains("STREAMING_ENABLED=\"yes\""), e.getMessage());
    }

    @Test
    void goBoolSpellingsAreAccepted() {
        for (String t : List.of("1", "t", "T", "TRUE", "true", "True")) {
            assertTrue(loadWith("streaming.allow.system.events", t).allowSystemEvents(), t);
        }
        for (String f : List.of("0", "f", "F", "FALSE", "false", "False")) {
            assertFalse(loadWith("streaming.allow.system.events", f).allowSystemEvents(), f);
        }
    }

    @Test
    void ratioOneIsAccepted() {
        assertEquals(1.0, loadWith("streaming.cb.failure.ratio", "1").cbFailureRatio());
    }

    @Test
    void missingSourceIsRejected() {
        StreamingException e = rejected(Map.of("streaming.enabled", "true"));
        assertEquals(ErrorCode.MISSING_SOURCE, e.code());
        assertTrue(e.getMessage().startsWith("streaming: Event.Source required (CloudEvents ce-source): "
                + "STREAMING_CLOUDEVENTS_SOURCE"), e.getMessage());
    }

    @Test
    void sourceWithControlCharactersIsRejected() {
        StreamingException e = rejected("streaming.cloudevents.source", "//lerian\tmidaz");
        assertEquals(ErrorCode.INVALID_SOURCE, e.code());
        assertTrue(e.getMessage().contains("STREAMING_CLOUDEVENTS_SOURCE"), e.getMessage());
    }

    @Test
    void brokerListOfOnlySeparatorsIsMissingBrokers() {
        StreamingException e = rejected("streaming.brokers", " , ");
        assertEquals(ErrorCode.MISSING_BROKERS, e.code());
        assertEquals("streaming: STREAMING_BROKERS required when ENABLED=true: STREAMING_BROKERS=\" , \" lists no broker",
                e.getMessage());
    }

    @Test
    void brokersAreCheckedBeforeSourceAndSourceBeforeCodecs() {
        Map<String, String> p = new HashMap<>(Map.of("streaming.enabled", "true", "streaming.brokers", ",",
                "streaming.compression", "nope", "streaming.required.acks", "nope"));
        assertEquals(ErrorCode.MISSING_BROKERS, rejected(p).code());
        p.put("streaming.brokers", "k:9092");
        assertEquals(ErrorCode.MISSING_SOURCE, rejected(p).code());
        p.put("streaming.cloudevents.source", SOURCE);
        assertEquals(ErrorCode.INVALID_COMPRESSION, rejected(p).code());
        p.put("streaming.compression", "zstd");
        assertEquals(ErrorCode.INVALID_ACKS, rejected(p).code());
    }

    @Test
    void malformedPolicyListIsRejectedWhenEnabled() {
        StreamingException e = rejected("streaming.event.policies", "transaction.created");
        assertEquals(ErrorCode.INVALID_DELIVERY_POLICY, e.code());
        assertTrue(e.getMessage().contains("transaction.created"), e.getMessage());
    }

    @Test
    void policyListIsParsedByEventKey() {
        StreamingConfig c = loadWith("streaming.event.policies", "transaction.created.outbox=never;a.b.dlq=never");
        assertEquals(Set.of("transaction.created", "a.b"), c.policyOverrides().keySet());
    }

    // ---- SASL ---------------------------------------------------------------------------------------------------

    private static Map<String, String> sasl(String mechanism) {
        Map<String, String> p = enabled();
        p.put("streaming.sasl.mechanism", mechanism);
        p.put("streaming.sasl.username", "svc");
        p.put("streaming.sasl.password", "s3cret");
        return p;
    }

    @Test
    void unknownSaslMechanismIsRejectedWithTheAcceptedOnes() {
        StreamingException e = rejected(sasl("GSSAPI"));
        assertEquals(ErrorCode.INVALID_SASL_MECHANISM, e.code());
        assertEquals("streaming: invalid SASL mechanism: STREAMING_SASL_MECHANISM=\"GSSAPI\""
                + " (accepted: PLAIN|SCRAM-SHA-256|SCRAM-SHA-512)", e.getMessage());
    }

    @Test
    void saslMechanismNeedsUserAndPassword() {
        Map<String, String> noUser = sasl("PLAIN");
        noUser.remove("streaming.sasl.username");
        noUser.put("streaming.sasl.allow.plaintext", "true");
        StreamingException e = rejected(noUser);
        assertEquals(ErrorCode.INVALID_SASL_MECHANISM, e.code());
        assertTrue(e.getMessage().contains("STREAMING_SASL_USERNAME and STREAMING_SASL_PASSWORD"), e.getMessage());

        Map<String, String> noPassword = sasl("PLAIN");
        noPassword.put("streaming.sasl.password", " ");
        noPassword.put("streaming.tls.enabled", "true");
        assertEquals(ErrorCode.INVALID_SASL_MECHANISM, rejected(noPassword).code());
    }

    @Test
    void saslWithoutTlsIsRefused() {
        StreamingException e = rejected(sasl("SCRAM-SHA-256"));
        assertEquals(ErrorCode.PLAINTEXT_SASL_NOT_ALLOWED, e.code());
        assertTrue(e.getMessage().contains("STREAMING_TLS_ENABLED=false"), e.getMessage());
        assertTrue(e.getMessage().contains("STREAMING_SASL_ALLOW_PLAINTEXT=true"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), "never the password");
    }

    @Test
    void saslWithoutTlsLoadsWhenExplicitlyAllowedAndWarns() {
        Map<String, String> p = sasl("scram-sha-512");
        p.put("streaming.sasl.allow.plaintext", "true");
        StreamingConfig c = load(p);
        assertEquals("SCRAM-SHA-512", c.saslMechanism(), "mechanism is case-insensitive, kept upper-case");
        assertTrue(c.saslAllowPlaintext());
        assertEquals(1, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(0).contains("without TLS"), c.warnings().toString());
        assertFalse(c.toString().contains("s3cret"), "toString masks the password");
    }

    @Test
    void saslOverTlsNeedsNoOptIn() {
        Map<String, String> p = sasl("PLAIN");
        p.put("streaming.tls.enabled", "true");
        StreamingConfig c = load(p);
        assertTrue(c.tls());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void deprecatedPlaintextAliasStillWorksAndSaysSo() {
        Map<String, String> p = sasl("PLAIN");
        p.put("streaming.allow.plaintext.sasl", "true");
        StreamingConfig c = load(p);
        assertTrue(c.saslAllowPlaintext());
        assertTrue(c.warnings().contains("STREAMING_ALLOW_PLAINTEXT_SASL is deprecated; use "
                + "STREAMING_SASL_ALLOW_PLAINTEXT"), c.warnings().toString());
    }

    @Test
    void deprecatedAliasSetToFalseIsHonouredWithoutAWarning() {
        Map<String, String> p = sasl("PLAIN");
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.allow.plaintext.sasl", "false");
        StreamingConfig c = load(p);
        assertEquals(false, c.saslAllowPlaintext());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void newPlaintextKeyWinsOverTheDeprecatedAlias() {
        Map<String, String> p = sasl("PLAIN");
        p.put("streaming.allow.plaintext.sasl", "true");
        p.put("streaming.sasl.allow.plaintext", "false");
        assertEquals(ErrorCode.PLAINTEXT_SASL_NOT_ALLOWED, rejected(p).code());
    }

    @Test
    void credentialsWithoutMechanismLeaveSaslOffWithAWarning() {
        Map<String, String> p = sasl("");
        StreamingConfig c = load(p);
        assertEquals("", c.saslMechanism());
        assertEquals(1, c.warnings().size(), c.warnings().toString());
    }

    // ---- TLS ----------------------------------------------------------------------------------------------------

    @Test
    void caCertificateThatIsNotBase64IsRejected() {
        StreamingException e = rejected("streaming.tls.ca.cert", "not base64 at all!!");
        assertEquals(ErrorCode.INVALID_TLS_CONFIG, e.code());
        assertTrue(e.getMessage().contains("STREAMING_TLS_CA_CERT"), e.getMessage());
    }

    @Test
    void rawPemInsteadOfBase64IsRejected() {
        StreamingException e = rejected("streaming.tls.ca.cert", TestCertificates.selfSignedPem());
        assertEquals(ErrorCode.INVALID_TLS_CONFIG, e.code());
        assertTrue(e.getMessage().contains("STREAMING_TLS_CA_CERT"), e.getMessage());
    }

    @Test
    void base64OfSomethingElseThanACertificateIsRejected() {
        String notACert = Base64.getEncoder().encodeToString(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII));
        StreamingException e = rejected("streaming.tls.ca.cert", notACert);
        assertEquals(ErrorCode.INVALID_TLS_CONFIG, e.code());
        assertTrue(e.getMessage().contains("STREAMING_TLS_CA_CERT"), e.getMessage());

        String text = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII));
        assertEquals(ErrorCode.INVALID_TLS_CONFIG, rejected("streaming.tls.ca.cert", text).code());
    }

    @Test
    void base64OfARealPemCertificateIsAcceptedAndDecoded() {
        String pem = TestCertificates.selfSignedPem();
        Map<String, String> p = enabled();
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.tls.ca.cert", Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
        StreamingConfig c = load(p);
        assertEquals(pem, c.tlsCaCertPem());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void caCertificateWithoutTlsIsIgnoredWithAWarning() {
        String pem = TestCertificates.selfSignedPem();
        StreamingConfig c = loadWith("streaming.tls.ca.cert",
                Base64.getMimeEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
        assertFalse(c.tls());
        assertEquals(1, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(0).contains("STREAMING_TLS_ENABLED is false"), c.warnings().toString());
    }
}
