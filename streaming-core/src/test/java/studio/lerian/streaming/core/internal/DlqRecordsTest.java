package studio.lerian.streaming.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The DLQ error-message header: credentials masked, at most 4096 UTF-8 bytes, cut on a character boundary. */
class DlqRecordsTest {

    private static final int MAX = 4096;

    @Test
    void shortMessageIsKeptWhole() {
        assertEquals("MESSAGE_TOO_LARGE: record too big",
                DlqRecords.boundedMessage(new RuntimeException("MESSAGE_TOO_LARGE: record too big")));
    }

    @Test
    void messageOfExactlyTheLimitIsNotTruncated() {
        String text = "x".repeat(MAX);
        assertEquals(text, DlqRecords.boundedMessage(new RuntimeException(text)));
    }

    @Test
    void longMessageIsCutToTheLimitWithTheTotalInTheSuffix() {
        String text = "y".repeat(MAX + 1);
        String bounded = DlqRecords.boundedMessage(new RuntimeException(text));
        String suffix = "...[truncated, " + (MAX + 1) + " bytes total]";
        assertTrue(bounded.endsWith(suffix), bounded.substring(bounded.length() - 60));
        assertEquals(MAX, utf8(bounded).length);
        assertEquals("y".repeat(MAX - suffix.length()), bounded.substring(0, bounded.length() - suffix.length()));
    }

    @Test
    void cutNeverSplitsAMultiByteCharacterWhereverTheLimitFalls() throws CharacterCodingException {
        // Shifting a run of 2-, 3- and 4-byte characters by one ASCII byte at a time puts the cut on every position
        // inside a character.
        for (int shift = 0; shift < 12; shift++) {
            for (String ch : new String[] {"é", "€", "😀"}) {
                String text = "a".repeat(shift) + ch.repeat(MAX);
                String bounded = DlqRecords.boundedMessage(new RuntimeException(text));
                byte[] bytes = utf8(bounded);
                assertTrue(bytes.length <= MAX, shift + " " + ch + ": " + bytes.length + " bytes");
                assertTrue(bytes.length > MAX - 4, shift + " " + ch + ": cut too early, " + bytes.length);
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)); // throws on a split character
                assertFalse(bounded.contains("\uFFFD"), "no replacement character");
                String suffix = "...[truncated, " + utf8(text).length + " bytes total]";
                assertTrue(bounded.endsWith(suffix), shift + " " + ch);
                String kept = bounded.substring(0, bounded.length() - suffix.length());
                assertTrue(text.startsWith(kept), "the kept part is a prefix of the message");
            }
        }
    }

    @Test
    void credentialsAreMaskedBeforeCutting() {
        assertEquals("dial failed kafka://****:****@kafka:9092",
                DlqRecords.boundedMessage(new RuntimeException("dial failed kafka://admin:supersecret@kafka:9092")));
        assertEquals("client config password=**** host=broker",
                DlqRecords.boundedMessage(new RuntimeException("client config password=hunter2 host=broker")));

        String secretAtTheEnd = "z".repeat(MAX) + " password=hunter2";
        String bounded = DlqRecords.boundedMessage(new RuntimeException(secretAtTheEnd));
        assertFalse(bounded.contains("hunter2"));
        // The total counts the masked text, the text that was cut.
        int maskedBytes = utf8("z".repeat(MAX) + " password=****").length;
        assertTrue(bounded.endsWith("...[truncated, " + maskedBytes + " bytes total]"), bounded.substring(MAX - 60));
    }

    @Test
    void missingCauseOrMessageGivesAText() {
        assertEquals("", DlqRecords.boundedMessage(null));
        assertEquals("java.lang.RuntimeException", DlqRecords.boundedMessage(new RuntimeException()),
                "a cause without message is named by its class");
    }

    @Test
    void withoutPayloadKeepsHeadersAndRecordsTheOmittedSize() {
        ProducerRecord<byte[], byte[]> dlq = new ProducerRecord<>("t.dlq", null, utf8("k"), new byte[1234],
                new RecordHeaders().add("ce-id", utf8("1")));
        ProducerRecord<byte[], byte[]> omitted = DlqRecords.withoutPayload(dlq);
        assertEquals("t.dlq", omitted.topic());
        assertArrayEquals(utf8("k"), omitted.key());
        assertNull(omitted.value());
        assertEquals("1", new String(omitted.headers().lastHeader("ce-id").value(), StandardCharsets.UTF_8));
        assertEquals("true", new String(omitted.headers().lastHeader("x-lerian-dlq-payload-omitted").value(),
                StandardCharsets.UTF_8));
        assertEquals("1234", new String(omitted.headers().lastHeader("x-lerian-dlq-payload-bytes").value(),
                StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
