package studio.lerian.streaming.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Field values that could forge a field or a line are quoted and escaped; ordinary values stay bare. */
class LogLineTest {

    @Test
    void ordinaryValuesStayBare() {
        assertEquals("streaming: circuit open producer_id=0190abcd-ef01 from=closed to=open attempts=3",
                LogLine.of("streaming: circuit open").field("producer_id", "0190abcd-ef01").field("from", "closed")
                        .field("to", "open").field("attempts", 3).toString());
    }

    @Test
    void forgedTenantCannotAddAFieldNorSplitTheLine() {
        String tenant = "t-1 outcome=produced\u2028streaming: circuit closed";
        String line = LogLine.of("streaming: DLQ publish failed").field("tenant_id", tenant)
                .field("outcome", "dlq_publish_failed").toString();
        assertEquals("streaming: DLQ publish failed tenant_id=\"t-1 outcome=produced\\u2028streaming: circuit closed\""
                + " outcome=dlq_publish_failed", line);
        assertFalse(line.contains("\u2028"));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "''                      | '\"\"'",
        "'a b'                   | '\"a b\"'",
        "'a=b'                   | '\"a=b\"'",
        "'say \"hi\"'            | '\"say \\\"hi\\\"\"'",
        "'back\\slash'           | '\"back\\\\slash\"'",
        "'caf\u00e9'             | 'caf\u00e9'",
    })
    void valuesAreQuotedWhenTheyNeedIt(String value, String expected) {
        assertEquals(expected, LogLine.value(value));
    }

    @Test
    void everyLineBreakingOrInvisibleCharacterIsEscaped() {
        assertEquals("\"a\\nb\\rc\\td\"", LogLine.value("a\nb\rc\td"));
        assertEquals("\"\\u0085\\u2028\\u2029\\u202e\\u0000\\u001b\"",
                LogLine.value("\u0085\u2028\u2029\u202e\u0000\u001b"));
    }

    @Test
    void nullIsAnEmptyValue() {
        assertEquals("streaming: x a=\"\"", LogLine.of("streaming: x").field("a", null).toString());
        assertEquals("\"\"", LogLine.quoted(null));
    }

    @Test
    void quotedAlwaysQuotes() {
        assertEquals("\"lz4\"", LogLine.quoted("lz4"));
        assertEquals("\"a\\nb\"", LogLine.quoted("a\nb"));
    }
}
