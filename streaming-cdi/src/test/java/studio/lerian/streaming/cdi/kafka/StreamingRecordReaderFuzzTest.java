package studio.lerian.streaming.cdi.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;

/**
 * A consumer reads records anyone able to produce to the topic wrote: whatever the headers (mostly the {@code lerian}
 * format's {@code ce-} headers, some of the Kafka binding's) and the value, the reader returns an event or refuses
 * with one of its documented codes, never anything else. Seeds under {@code StreamingRecordReaderFuzzTestInputs} run
 * in every build; {@code -Pfuzz} explores.
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
}
