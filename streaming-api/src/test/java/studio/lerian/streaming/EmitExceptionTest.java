package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EmitExceptionTest {

    private static final String PREFIX = "streaming emit failed: class=serialization_error "
            + "topic=lerian.streaming.transaction.created resource=transaction event=created";

    @Test
    void messageNamesClassTopicResourceAndEventLikeGo() {
        EmitException e = new EmitException(ErrorClass.SERIALIZATION_ERROR, "lerian.streaming.transaction.created",
                "transaction", "created", "t-abc", new RuntimeException("MESSAGE_TOO_LARGE: record too big"));
        assertEquals(PREFIX + ": MESSAGE_TOO_LARGE: record too big", e.getMessage());
        assertEquals(ErrorCode.EMIT_FAILED, e.code());
        assertEquals(ErrorClass.SERIALIZATION_ERROR, e.errorClass());
        assertEquals("lerian.streaming.transaction.created", e.topic());
        assertEquals("transaction", e.resourceType());
        assertEquals("created", e.eventType());
        assertEquals("t-abc", e.tenantId());
    }

    @Test
    void messageMasksCredentialsInTheCauseText() {
        RuntimeException cause = new RuntimeException("dial failed kafka://admin:supersecret@kafka:9092 password=x1");
        EmitException e = new EmitException(ErrorClass.SERIALIZATION_ERROR, "lerian.streaming.transaction.created",
                "transaction", "created", "t-abc", cause);
        assertEquals(PREFIX + ": dial failed kafka://****:****@kafka:9092 password=****", e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void messageLeavesTheTenantOut() {
        EmitException e = new EmitException(ErrorClass.BROKER_UNAVAILABLE, "t", "r", "e", "tenant-secret-42",
                new RuntimeException("down"));
        assertFalse(e.getMessage().contains("tenant-secret-42"), e.getMessage());
    }

    @Test
    void messageWithoutCauseHasNoTrailingSeparator() {
        EmitException e = new EmitException(ErrorClass.SERIALIZATION_ERROR, "lerian.streaming.transaction.created",
                "transaction", "created", "t-abc", null);
        assertEquals(PREFIX, e.getMessage());
    }

    @Test
    void nullCoordinatesReadAsEmpty() {
        EmitException e = new EmitException(ErrorClass.NETWORK_TIMEOUT, null, null, null, null, null);
        assertEquals("streaming emit failed: class=network_timeout topic= resource= event=", e.getMessage());
        assertEquals("", e.topic());
        assertEquals("", e.tenantId());
    }

    @Test
    void errorClassIsRequired() {
        assertThrows(NullPointerException.class, () -> new EmitException(null, "t", "r", "e", "x", null));
    }
}
