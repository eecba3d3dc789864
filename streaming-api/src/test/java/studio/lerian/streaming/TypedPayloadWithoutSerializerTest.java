package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link EmitRequest.Builder#payload(Object)} on this module's class path, which holds no JSON serializer: bytes and
 * text keep their raw paths, byte for byte; a typed value fails with the dependency to add.
 */
class TypedPayloadWithoutSerializerTest {

    /** G1's payload, and its spaced variant: JSON the library must never rewrite. */
    private static final String G1_PAYLOAD = "{\"amount\":100}";
    private static final String G1_SPACED = "{ \"amount\" : 100 }";

    /** A typed payload; {@code account} stands for the personal data an error message must not repeat. */
    public static final class Transfer {
        public String account = "BR-0001-secret";
        public long amount = 100;
    }

    private static EmitRequest.Builder request() {
        return EmitRequest.builder("transaction.created").tenantId("t-abc");
    }

    @Test
    void bytesGivenAsAnObjectAreKeptByteForByte() {
        for (String json : new String[] {G1_PAYLOAD, G1_SPACED}) {
            Object bytes = json.getBytes(StandardCharsets.UTF_8);
            EmitRequest typed = request().payload(bytes).build();
            assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), typed.payload());
            assertEquals(request().payload(json.getBytes(StandardCharsets.UTF_8)).build(), typed);
        }
    }

    @Test
    void bytesGivenAsAnObjectAreCopied() {
        byte[] input = G1_PAYLOAD.getBytes(StandardCharsets.UTF_8);
        EmitRequest.Builder builder = request().payload((Object) input);
        input[0] = 'X';
        assertEquals(G1_PAYLOAD, builder.build().payloadAsString());
    }

    @Test
    void aStringGivenAsAnObjectIsJsonTextNotAQuotedString() {
        Object text = G1_SPACED;
        EmitRequest typed = request().payload(text).build();
        assertEquals(G1_SPACED, typed.payloadAsString());
        assertArrayEquals(G1_SPACED.getBytes(StandardCharsets.UTF_8), typed.payload());
    }

    @Test
    void nullGivenAsAnObjectClearsThePayload() {
        EmitRequest cleared = request().payload(G1_PAYLOAD).payload((Object) null).build();
        assertEquals(0, cleared.payloadSize());
    }

    @Test
    void aTypedValueWithoutASerializerNamesTheDependencyToAdd() {
        Transfer transfer = new Transfer();
        StreamingException e = assertThrows(StreamingException.class, () -> request().payload(transfer));
        assertEquals(ErrorCode.NO_PAYLOAD_SERIALIZER, e.code());
        assertTrue(e.getMessage().startsWith("streaming: no JSON serializer for typed payloads: add "
                + "studio.lerian.streaming:streaming-json"), e.getMessage());
        assertTrue(e.getMessage().contains("jackson-databind"), e.getMessage());
        assertFalse(e.getMessage().contains(transfer.account), "the payload's content stays out of the message");
        assertTrue(StreamingErrors.isCallerError(e), "a deployment fault: retrying does not cure it");
    }

    @Test
    void readingAsStringOrBytesNeedsNoSerializer() {
        EmitRequest r = request().payload(G1_SPACED).build();
        assertEquals(G1_SPACED, r.payloadAs(String.class));
        assertArrayEquals(G1_SPACED.getBytes(StandardCharsets.UTF_8), r.payloadAs(byte[].class));
    }

    @Test
    void readingAsATypeWithoutASerializerNamesTheDependencyToAdd() {
        EmitRequest r = request().payload(G1_PAYLOAD).build();
        StreamingException e = assertThrows(StreamingException.class, () -> r.payloadAs(Transfer.class));
        assertEquals(ErrorCode.NO_PAYLOAD_SERIALIZER, e.code());
    }

    @Test
    void anEmptyPayloadIsNotReadableAsAType() {
        EmitRequest r = request().build();
        StreamingException e = assertThrows(StreamingException.class, () -> r.payloadAs(Transfer.class));
        assertEquals(ErrorCode.PAYLOAD_NOT_READABLE, e.code());
        assertEquals("streaming: payload cannot be read as the requested type: " + Transfer.class.getName()
                + " (empty payload)", e.getMessage());
    }
}
