package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchEmitExceptionTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";

    private static BatchEmitException.Failure failure(int index, StreamingException cause) {
        return new BatchEmitException.Failure(index, "transaction.created", "id-" + index, cause);
    }

    private static EmitException publish(ErrorClass c) {
        return new EmitException(c, TOPIC, "transaction", "created", "t-secret-tenant", new RuntimeException("no"));
    }

    @Test
    void messageListsEachFailureByIndexDefinitionAndEventIdWithoutTheTenant() {
        BatchEmitException e = new BatchEmitException(ErrorCode.BATCH_EMIT_FAILED, 4, List.of(
                failure(1, new StreamingException(ErrorCode.CIRCUIT_OPEN)),
                new BatchEmitException.Failure(3, "no.such", null, new StreamingException(ErrorCode.NOT_JSON))));
        assertEquals("streaming batch emit failed: 2 of 4 requests: #1 definition=transaction.created event_id=id-1: "
                + "streaming: circuit breaker open; #3 definition=no.such: streaming: payload must be valid JSON",
                e.getMessage());
        assertEquals(4, e.batchSize());
        assertFalse(e.nothingSent());
        assertSame(e.failures().get(0).cause(), e.getCause(), "the first failure is the cause");
        assertFalse(new BatchEmitException(ErrorCode.BATCH_EMIT_FAILED, 1, List.of(failure(0,
                publish(ErrorClass.BROKER_UNAVAILABLE)))).getMessage().contains("t-secret-tenant"));
    }

    @Test
    void messageListsTheFirstFiveFailuresAndCountsTheRest() {
        List<BatchEmitException.Failure> many = IntStream.range(0, 8)
                .mapToObj(i -> failure(i, new StreamingException(ErrorCode.OUTBOX_WRITE_FAILED))).toList();
        String message = new BatchEmitException(ErrorCode.BATCH_EMIT_FAILED, 10, many).getMessage();
        assertTrue(message.startsWith("streaming batch emit failed: 8 of 10 requests: #0 "), message);
        assertTrue(message.contains("#4 definition"), message);
        assertFalse(message.contains("#5 definition"), message);
        assertTrue(message.endsWith("; ... 3 more"), message);
    }

    @Test
    void aRefusedBatchIsACallerErrorWithNothingSent() {
        BatchEmitException e = new BatchEmitException(ErrorCode.INVALID_BATCH, 3,
                List.of(failure(2, new StreamingException(ErrorCode.MISSING_TENANT_ID))));
        assertTrue(e.nothingSent());
        assertTrue(StreamingErrors.isCallerError(e));
        assertTrue(StreamingErrors.hasCode(e, ErrorCode.MISSING_TENANT_ID));
    }

    @Test
    void aFailedBatchIsACallerErrorOnlyWhenEveryFailureIs() {
        BatchEmitException.Failure tooLarge = failure(0, publish(ErrorClass.SERIALIZATION_ERROR));
        BatchEmitException.Failure notJson = failure(1, new StreamingException(ErrorCode.NOT_JSON));
        BatchEmitException.Failure brokerDown = failure(2, publish(ErrorClass.BROKER_UNAVAILABLE));
        BatchEmitException.Failure open = failure(3, new StreamingException(ErrorCode.CIRCUIT_OPEN));

        assertTrue(StreamingErrors.isCallerError(batch(tooLarge, notJson)));
        // The cause chain alone would answer "caller" from the first failure; the batch's rule looks at all of them.
        assertFalse(StreamingErrors.isCallerError(batch(tooLarge, brokerDown)));
        assertFalse(StreamingErrors.isCallerError(batch(notJson, open)));
        assertFalse(StreamingErrors.isCallerError(batch(brokerDown)));
        assertFalse(StreamingErrors.isCallerError(new RuntimeException("wrapped", batch(notJson, open))));
        assertTrue(StreamingErrors.isCallerError(new RuntimeException("wrapped", batch(notJson))));
        assertTrue(StreamingErrors.emitException(batch(tooLarge, brokerDown)).isPresent());
    }

    @Test
    void refusesWhatIsNotABatchFailure() {
        List<BatchEmitException.Failure> one = List.of(failure(0, new StreamingException(ErrorCode.NOT_JSON)));
        assertThrows(IllegalArgumentException.class, () -> new BatchEmitException(ErrorCode.EMIT_FAILED, 1, one));
        assertThrows(IllegalArgumentException.class,
                () -> new BatchEmitException(ErrorCode.BATCH_EMIT_FAILED, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new BatchEmitException(ErrorCode.BATCH_EMIT_FAILED, 0, one));
        assertThrows(IllegalArgumentException.class,
                () -> new BatchEmitException.Failure(-1, "k", "", new StreamingException(ErrorCode.NOT_JSON)));
        assertThrows(NullPointerException.class, () -> new BatchEmitException.Failure(0, "k", "", null));
    }

    @Test
    void survivesSerialization() throws Exception {
        BatchEmitException e = batch(failure(0, publish(ErrorClass.NETWORK_TIMEOUT)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            BatchEmitException back = (BatchEmitException) in.readObject();
            assertEquals(e.getMessage(), back.getMessage());
            assertEquals(0, back.failures().get(0).index());
            assertEquals("id-0", back.failures().get(0).eventId());
        }
    }

    private static BatchEmitException batch(BatchEmitException.Failure... failures) {
        return new BatchEmitException(ErrorCode.BATCH_EMIT_FAILED, 10, List.of(failures));
    }
}
