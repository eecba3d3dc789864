package studio.lerian.streaming.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;

/**
 * A consumer reads records anyone able to produce to the topic wrote: whatever the headers and the value, in each of
 * the three formats (the {@code lerian} {@code ce-} headers, the Kafka binding's binary and structured modes), the
 * reader returns an event or refuses with one of its documented codes, never anything else. Seeds under
 * {@code StreamingRecordReaderFuzzTestInputs} run in every build; {@code -Pfuzz} explores.
 */
class StreamingRecordReaderFuzzTest {

    private static final StreamingRecordReader READER = new StreamingRecordReader();
    private static final Set<ErrorCode> DOCUMENTED = Set.of(ErrorCode.MISSING_REQUIRED_HEADER,
            ErrorCode.UNSUPPORTED_SPEC_VERSION, ErrorCode.INVALID_HEADER);
    private static final List<String> NAMES = List.of("ce-specversion", "ce-id", "ce-source", "ce-type", "ce-time",
            "ce-schemaversion", "ce-resourcetype", "ce-eventtype", "ce-subject", "ce-datacontenttype",
            "ce-dataschema", "ce-tenantid", "ce-systemevent", "ce_specversion", "ce_id", "ce_source", "ce_type",
            "ce_time", "content-type");

    @FuzzTest(maxDuration = "60s")
    void onlyDocumentedRefusalsEscape(FuzzedDataProvider data) {
        RecordHeaders headers = new RecordHeaders();
        // Each format is chosen explicitly, with its marker most of the time well-formed, so that every reader path
        // (the lerian headers, the binding's binary mode, its structured mode) is explored, not only the one whose
        // marker is easiest to guess.
        RecordFormat format = data.pickValue(RecordFormat.values());
        switch (format) {
            case LERIAN -> headers.add("ce-specversion", marker(data, "1.0"));
            case KAFKA_BINARY -> headers.add("ce_specversion", marker(data, "1.0"));
            case KAFKA_STRUCTURED -> headers.add("content-type", marker(data, "application/cloudevents+json"));
            default -> throw new AssertionError(format);
        }
        int count = data.consumeInt(0, 20);
        for (int i = 0; i < count; i++) {
            String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(20);
            byte[] value = data.consumeBoolean() ? null : data.consumeBytes(64);
            headers.add(name, value);
        }
        byte[] value = data.consumeBoolean() ? null : data.consumeRemainingAsBytes();
        try {
            READER.read("lerian.streaming.transaction.created", headers, value);
        } catch (StreamingException refused) {
            assertTrue(DOCUMENTED.contains(refused.code()), () -> refused.code() + ": " + refused.getMessage());
        }
    }

    private static byte[] marker(FuzzedDataProvider data, String wellFormed) {
        String value = data.consumeBoolean() ? wellFormed : data.consumeString(40);
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
