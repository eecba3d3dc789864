package studio.lerian.streaming.core.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;

/**
 * An outbox row's envelope is read back from a database anyone with write access can tamper with: whatever its bytes,
 * the decoder returns an envelope or refuses with {@link ErrorCode#INVALID_OUTBOX_ENVELOPE}, never anything else.
 * Seeds under {@code EnvelopeDecoderFuzzTestInputs} run in every build; {@code -Pfuzz} explores.
 */
class EnvelopeDecoderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void onlyAnInvalidEnvelopeMayEscape(byte[] row) {
        try {
            EnvelopeDecoder.decode(row);
        } catch (StreamingException refused) {
            assertEquals(ErrorCode.INVALID_OUTBOX_ENVELOPE, refused.code(), refused::getMessage);
        }
    }
}
