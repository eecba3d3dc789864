package studio.lerian.streaming.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.wire.ResolvedEvent;

/** The implementation reads payloads without copies; applications still only ever see copies. */
class PayloadArraysTest {

    private static final byte[] JSON = "{\"amount\":100}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRequestsArrayIsReadWithoutACopyAndItsPublicAccessorStillCopies() {
        EmitRequest request = EmitRequest.builder("k").payload(JSON).build();

        assertSame(PayloadArrays.of(request), PayloadArrays.of(request));
        assertNotSame(JSON, PayloadArrays.of(request), "the builder copied the caller's array");
        assertNotSame(PayloadArrays.of(request), request.payload());
        assertArrayEquals(JSON, request.payload());
    }

    @Test
    void anAdoptedArrayIsHeldAsItIsAndThePublicAccessorStillCopies() {
        byte[] held = JSON.clone();
        ResolvedEvent event = PayloadArrays.adopt(event(), held).build();

        assertSame(held, PayloadArrays.of(event));
        assertNotSame(held, event.payload());
        assertArrayEquals(JSON, event.payload());
    }

    @Test
    void aPayloadSetThroughTheBuilderAfterAnAdoptionIsCopiedAgain() {
        byte[] adopted = JSON.clone();
        byte[] later = "[1]".getBytes(StandardCharsets.UTF_8);
        ResolvedEvent event = PayloadArrays.adopt(event(), adopted).payload(later).build();

        assertNotSame(later, PayloadArrays.of(event));
        assertArrayEquals(later, PayloadArrays.of(event));
    }

    private static ResolvedEvent.Builder event() {
        return ResolvedEvent.builder().tenantId("t-abc").resourceType("transaction").eventType("created")
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"));
    }
}
