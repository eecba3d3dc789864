package studio.lerian.streaming.cdi.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    /** A JSON string payload of exactly {@code bytes} bytes. */
    private static ResolvedEvent event(int bytes) {
        String payload = "\"" + "a".repeat(bytes - 2) + "\"";
        return ResolvedEvent.builder().tenantId("t-1").resourceType("transaction").eventType("created")
                .eventId("e-1").schemaVersion("1.0.0").timestamp(OffsetDateTime.now(ZoneOffset.UTC))
                .source("//lerian.midaz/transaction-service").subject("s").dataContentType("application/json")
                .payload(payload.getBytes(StandardCharsets.UTF_8)).build();
    }
}
