package studio.lerian.streaming.core.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * A row grown in the table past the emit limit is refused before it is relayed (the relay then marks it INVALID, as
 * {@code H2RelayRefusesBadRowsTest} shows for the other refusals). PostgreSQL's {@code BYTEA} column takes such a row;
 * H2's shipped DDL already refuses an envelope over 1 MiB when it is written.
 */
class ReplayPreflightTest {

    @Test
    void payloadOverTheEmitLimitIsRefusedAndOneAtTheLimitPasses() {
        assertDoesNotThrow(() -> ReplayPreflight.check(event(EmitRequest.MAX_PAYLOAD_BYTES), false));

        StreamingException e = assertThrows(StreamingException.class,
                () -> ReplayPreflight.check(event(EmitRequest.MAX_PAYLOAD_BYTES + 1), false));
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.code());
    }

    /**
     * The relay parses each stored payload once: the decoder reads it through as a JSON value, so checking its JSON
     * again adds nothing. For payloads valid and broken, the envelope either cannot be decoded at all (INVALID), or
     * the decoded event passes the relay's check exactly when it passes the full one.
     */
    @Test
    void aDecodedPayloadPassesTheRelaysCheckExactlyWhenItPassesTheFullJsonCheck() {
        String[] payloads = {"{\"amount\":100}", "[1,{\"a\":[]}]", "\"x\\u0041\"", "42", "-0.5e3", "null", "true",
            "{\"a\":{\"b\":\"\\u00e9\\n\"}}", "{\"a\":}", "{'a':1}", "NaN", "[1,]", "\"\\x\"", "{\"a\":\"\\x\"}", "01",
            "{\"a\":1}}", "[", "\"unterminated"};
        int decoded = 0;
        for (String payload : payloads) {
            byte[] row = EnvelopeDecoderTest.G7.replace("\"Payload\":{\"amount\":100}", "\"Payload\":" + payload)
                    .getBytes(StandardCharsets.UTF_8);
            ResolvedEvent event;
            try {
                event = EnvelopeDecoder.decode(row).event();
            } catch (StreamingException unreadable) {
                assertEquals(ErrorCode.INVALID_OUTBOX_ENVELOPE, unreadable.code(), payload);
                continue;
            }
            decoded++;
            assertEquals(outcome(() -> ReplayPreflight.check(event, false)),
                    outcome(() -> ReplayPreflight.checkDecoded(event, false)), payload);
        }
        assertTrue(decoded >= 9, "the valid payloads decode: " + decoded);

        byte[] withoutPayload = EnvelopeDecoderTest.G7.replace(",\"Payload\":{\"amount\":100}", "")
                .getBytes(StandardCharsets.UTF_8);
        ResolvedEvent none = EnvelopeDecoder.decode(withoutPayload).event();
        assertEquals(ErrorCode.NOT_JSON, outcome(() -> ReplayPreflight.check(none, false)));
        assertEquals(ErrorCode.NOT_JSON, outcome(() -> ReplayPreflight.checkDecoded(none, false)));
    }

    /** @return the code the check refused with, or {@code null} when it passed */
    private static ErrorCode outcome(Runnable check) {
        try {
            check.run();
            return null;
        } catch (StreamingException e) {
            return e.code();
        }
    }

    /** A JSON string payload of exactly {@code bytes} bytes. */
    private static ResolvedEvent event(int bytes) {
        String payload = "\"" + "a".repeat(bytes - 2) + "\"";
        return ResolvedEvent.builder().tenantId("t-1").resourceType("transaction").eventType("created")
                .eventId("e-1").schemaVersion("1.0.0").timestamp(OffsetDateTime.now(ZoneOffset.UTC))
                .source("//lerian.midaz/transaction-service").subject("s").dataContentType("application/json")
                .payload(payload.getBytes(StandardCharsets.UTF_8)).build();
    }
}
