package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.support.Golden;

class StreamingErrorsTest {

    private static final Duration NO_LOOP = Duration.ofSeconds(5);

    static Stream<Arguments> errorCodes() {
        return Golden.rows("error-codes.csv", 3).stream()
                .map(r -> Arguments.of(ErrorCode.valueOf(r[0]), Boolean.parseBoolean(r[1]), r[2]));
    }

    static Stream<Arguments> errorClasses() {
        return Golden.rows("g12-error-classes.csv", 3).stream()
                .map(r -> Arguments.of(ErrorClass.fromWire(r[0]).orElseThrow(), Boolean.parseBoolean(r[1]),
                        Boolean.parseBoolean(r[2])));
    }

    private static EmitException emitFailure(ErrorClass c, Throwable cause) {
        return new EmitException(c, "lerian.streaming.transaction.created", "transaction", "created", "t-abc", cause);
    }

    // ---- the tables ----

    @Test
    void everyErrorCodeIsInTheCallerTable() {
        Set<String> listed = Golden.rows("error-codes.csv", 3).stream().map(r -> r[0])
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = Arrays.stream(ErrorCode.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, listed);
    }

    @ParameterizedTest(name = "{0} caller={1}")
    @MethodSource("errorCodes")
    void callerNessAndMessageOfEachCodeMatchTheGoSentinel(ErrorCode code, boolean caller, String message) {
        assertEquals(caller, code.isCallerError(), "ErrorCode.isCallerError");
        assertEquals(message, code.message());
        StreamingException bare = new StreamingException(code);
        assertEquals(message, bare.getMessage());
        assertEquals(caller, StreamingErrors.isCallerError(bare), "isCallerError of the bare exception");
        assertEquals(caller, StreamingErrors.isCallerError(new RuntimeException("wrapped", bare)),
                "isCallerError through a wrapper");
    }

    @Test
    void everyErrorClassIsInTheClassTable() {
        assertEquals(ErrorClass.values().length, Golden.rows("g12-error-classes.csv", 3).size());
    }

    @ParameterizedTest(name = "EmitException class={0} caller={1}")
    @MethodSource("errorClasses")
    void emitExceptionIsACallerErrorOnlyForSerializationValidationAndAuth(ErrorClass c, boolean caller,
            boolean dlqRoutable) {
        assertEquals(caller, c.isCallerError());
        assertEquals(dlqRoutable, c.isDlqRoutable());
        assertEquals(caller, StreamingErrors.isCallerError(emitFailure(c, null)));
        assertEquals(caller, StreamingErrors.isCallerError(emitFailure(c, new RuntimeException("broker said no"))));
        assertEquals(caller, StreamingErrors.isCallerError(new IllegalStateException("outer", emitFailure(c, null))));
    }

    @ParameterizedTest
    @EnumSource(ErrorClass.class)
    void errorClassWireStringsRoundTrip(ErrorClass c) {
        assertEquals(Optional.of(c), ErrorClass.fromWire(c.wire()));
        assertEquals(c.wire(), c.toString());
        assertEquals(c.name().toLowerCase(java.util.Locale.ROOT), c.wire());
    }

    @Test
    void unknownErrorClassWireStringGivesEmpty() {
        assertEquals(Optional.empty(), ErrorClass.fromWire("Broker_Unavailable"));
        assertEquals(Optional.empty(), ErrorClass.fromWire(null));
    }

    // ---- the G12 rows ----

    @Test
    void nullIsNotACallerError() {
        assertFalse(StreamingErrors.isCallerError(null));
    }

    @Test
    void arbitraryExceptionIsNotACallerError() {
        assertFalse(StreamingErrors.isCallerError(new RuntimeException("boom")));
        assertFalse(StreamingErrors.isCallerError(new IllegalArgumentException("bad", new Exception("root"))));
    }

    @Test
    void goCallerSentinelsAreCallerErrors() {
        for (ErrorCode code : new ErrorCode[] {ErrorCode.NOT_JSON, ErrorCode.UNKNOWN_EVENT_DEFINITION,
            ErrorCode.EVENT_DISABLED, ErrorCode.MISSING_BROKERS}) {
            assertTrue(StreamingErrors.isCallerError(new StreamingException(code)), code.name());
        }
    }

    @Test
    void wrappedPayloadTooLargeIsACallerError() {
        assertTrue(StreamingErrors.isCallerError(
                new RuntimeException("x", new StreamingException(ErrorCode.PAYLOAD_TOO_LARGE))));
    }

    @Test
    void goInfrastructureSentinelsAreNotCallerErrors() {
        for (ErrorCode code : new ErrorCode[] {ErrorCode.EMITTER_CLOSED, ErrorCode.CIRCUIT_OPEN,
            ErrorCode.NIL_PRODUCER, ErrorCode.OUTBOX_NOT_CONFIGURED, ErrorCode.OUTBOX_TX_UNSUPPORTED,
            ErrorCode.NIL_OUTBOX_REGISTRY}) {
            assertFalse(StreamingErrors.isCallerError(new StreamingException(code)), code.name());
        }
    }

    @Test
    void brokerUnavailableWhoseCauseWrapsPayloadTooLargeIsACallerError() {
        Throwable cause = new RuntimeException("outbox write", new StreamingException(ErrorCode.PAYLOAD_TOO_LARGE));
        assertTrue(StreamingErrors.isCallerError(emitFailure(ErrorClass.BROKER_UNAVAILABLE, cause)));
    }

    @Test
    void callerCodeOutsideTheEmitExceptionAlsoWins() {
        StreamingException outer = new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION, "wrapping",
                emitFailure(ErrorClass.NETWORK_TIMEOUT, null));
        assertTrue(StreamingErrors.isCallerError(outer));
    }

    @Test
    void infrastructureCodeAroundACallerEmitClassIsStillACallerError() {
        StreamingException outer = new StreamingException(ErrorCode.CIRCUIT_OPEN, "x",
                emitFailure(ErrorClass.AUTH_ERROR, null));
        assertTrue(StreamingErrors.isCallerError(outer));
    }

    @Test
    void causeChainWithACycleEndsWithoutACallerCode() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(assertTimeoutPreemptively(NO_LOOP, () -> StreamingErrors.isCallerError(a)));
        assertFalse(assertTimeoutPreemptively(NO_LOOP, () -> StreamingErrors.hasCode(a, ErrorCode.NOT_JSON)));
        assertTrue(assertTimeoutPreemptively(NO_LOOP, () -> StreamingErrors.emitException(b)).isEmpty());
    }

    @Test
    void causeChainWithACycleThroughAnEmitExceptionUsesItsClass() {
        RuntimeException broker = new RuntimeException("broker");
        EmitException emit = emitFailure(ErrorClass.SERIALIZATION_ERROR, broker);
        broker.initCause(emit);
        assertTrue(assertTimeoutPreemptively(NO_LOOP, () -> StreamingErrors.isCallerError(broker)));

        RuntimeException broker2 = new RuntimeException("broker");
        EmitException unavailable = emitFailure(ErrorClass.BROKER_UNAVAILABLE, broker2);
        broker2.initCause(unavailable);
        assertFalse(assertTimeoutPreemptively(NO_LOOP, () -> StreamingErrors.isCallerError(unavailable)));
    }

    // ---- hasCode, find, emitException ----

    @Test
    void hasCodeAndFindLookThroughTheWholeChain() {
        StreamingException inner = new StreamingException(ErrorCode.MISSING_RESOURCE_TYPE);
        StreamingException outer = new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION, null, inner);
        RuntimeException wrapper = new RuntimeException("ctx", outer);
        assertTrue(StreamingErrors.hasCode(wrapper, ErrorCode.INVALID_EVENT_DEFINITION));
        assertTrue(StreamingErrors.hasCode(wrapper, ErrorCode.MISSING_RESOURCE_TYPE));
        assertFalse(StreamingErrors.hasCode(wrapper, ErrorCode.MISSING_EVENT_TYPE));
        assertSame(inner, StreamingErrors.find(wrapper, ErrorCode.MISSING_RESOURCE_TYPE).orElseThrow());
        assertFalse(StreamingErrors.hasCode(null, ErrorCode.NOT_JSON));
        assertEquals(Optional.empty(), StreamingErrors.find(null, ErrorCode.NOT_JSON));
    }

    @Test
    void emitExceptionFindsTheFirstInTheChain() {
        EmitException emit = emitFailure(ErrorClass.TOPIC_NOT_FOUND, null);
        assertSame(emit, StreamingErrors.emitException(new RuntimeException("x", emit)).orElseThrow());
        assertEquals(Optional.empty(), StreamingErrors.emitException(new RuntimeException("x")));
        assertEquals(Optional.empty(), StreamingErrors.emitException(null));
    }

    // ---- StreamingException messages ----

    @Test
    void wrappingAStreamingExceptionWithoutDetailNestsTheGoTexts() {
        StreamingException e = new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION, null,
                new StreamingException(ErrorCode.MISSING_RESOURCE_TYPE));
        assertEquals("streaming: invalid event definition: streaming: Event.ResourceType required", e.getMessage());
    }

    @Test
    void detailFollowsTheCodeMessage() {
        assertEquals("streaming: invalid compression codec: \"brotli\"",
                new StreamingException(ErrorCode.INVALID_COMPRESSION, "\"brotli\"").getMessage());
        assertEquals("streaming: nil producer", new StreamingException(ErrorCode.NIL_PRODUCER, "").getMessage());
        assertEquals("streaming: circuit breaker open",
                new StreamingException(ErrorCode.CIRCUIT_OPEN, null, new RuntimeException("other")).getMessage());
    }
}
