package studio.lerian.streaming.cdi.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * Spec sections 3.2 to 3.5 and G11: a request the caller must correct is refused before any I/O. Run against a broker
 * that is not running, such a request fails at once with its caller error; a valid request on the same emitter waits
 * for the delivery timeout, which shows the refusals never reached the client.
 */
class CallerErrorsBeforeAnyIoTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);
    /** Far below the delivery timeout: no network wait fits in it. */
    private static final Duration FAST = Duration.ofMillis(500);
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static KafkaBroker live;
    private static KafkaBroker stopped;

    @BeforeAll
    static void start() {
        live = new KafkaBroker().start();
        stopped = new KafkaBroker(); // formatted, never started: nothing listens on its port
    }

    @AfterAll
    static void stop() {
        live.close();
        stopped.close();
    }

    @Test
    void callerErrorsFailFastWithoutTheBrokerWhileAValidEventWaitsForIt() {
        Map<String, String> config = Fixture.config(stopped.bootstrap());
        config.put("streaming.record.delivery.timeout.s", Long.toString(DELIVERY_TIMEOUT.toSeconds()));
        Map<String, EmitRequest> refused = new LinkedHashMap<>();
        refused.put("trailing garbage", valid().payload("{\"a\":1}x").build());
        refused.put("single quotes", valid().payload("{'a':1}").build());
        refused.put("byte-order mark", valid().payload(concat(BOM, "{}".getBytes(StandardCharsets.UTF_8))).build());
        refused.put("empty payload", valid().payload(new byte[0]).build());
        refused.put("unknown definition", EmitRequest.builder("nope").tenantId("t-abc").payload("{}").build());
        refused.put("no tenant", EmitRequest.builder("transaction.created").payload("{}").build());
        List<ErrorCode> expected = List.of(ErrorCode.NOT_JSON, ErrorCode.NOT_JSON, ErrorCode.NOT_JSON,
                ErrorCode.NOT_JSON, ErrorCode.UNKNOWN_EVENT_DEFINITION, ErrorCode.MISSING_TENANT_ID);

        try (StreamingContainer app = StreamingContainer.start(config, Fixture.Definitions.class)) {
            Emitter emitter = app.emitter();
            List<ErrorCode> codes = new ArrayList<>();
            for (Map.Entry<String, EmitRequest> c : refused.entrySet()) {
                long start = System.nanoTime();
                StreamingException e = assertThrows(StreamingException.class, () -> emitter.emit(c.getValue()),
                        c.getKey());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertFalse(e instanceof EmitException, c.getKey() + " failed a publish: " + e.getMessage());
                assertTrue(StreamingErrors.isCallerError(e), c.getKey());
                assertTrue(took.compareTo(FAST) < 0, c.getKey() + " took " + took);
                codes.add(e.code());
            }
            assertEquals(expected, codes, String.join(", ", refused.keySet()));

            // The control: the same emitter with a valid request does go to the (absent) broker and waits for it.
            long start = System.nanoTime();
            EmitException timeout = assertThrows(EmitException.class, () -> emitter.emit(valid().build()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertFalse(StreamingErrors.isCallerError(timeout), timeout.getMessage());
            assertTrue(took.compareTo(DELIVERY_TIMEOUT.minusMillis(250)) >= 0, "a valid emit took only " + took);
        }
    }

    /**
     * The delivery timeout bounds the whole emit, dead-letter copy included: against a stopped broker the copy cannot
     * be sent either, and the emit must not wait for it beyond what is left of the deadline.
     */
    @Test
    void validEmitAgainstAStoppedBrokerGivesUpWithinTheDeliveryTimeout() {
        Map<String, String> config = Fixture.config(stopped.bootstrap());
        config.put("streaming.record.delivery.timeout.s", Long.toString(DELIVERY_TIMEOUT.toSeconds()));
        try (StreamingContainer app = StreamingContainer.start(config, Fixture.Definitions.class)) {
            long start = System.nanoTime();
            EmitException failure = assertThrows(EmitException.class, () -> app.emitter().emit(valid().build()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(ErrorClass.NETWORK_TIMEOUT, failure.errorClass(), failure.getMessage());
            assertTrue(took.compareTo(DELIVERY_TIMEOUT.plusSeconds(1)) < 0,
                    "emit took " + took + " with a delivery timeout of " + DELIVERY_TIMEOUT);
        }
    }

    @Test
    void anySingleJsonValueIsAcceptedAndSentVerbatim() {
        List<String> payloads = List.of("null", "42", "\"x\"", " {} ");
        try (StreamingContainer app = StreamingContainer.start(Fixture.config(live.bootstrap()),
                Fixture.Definitions.class)) {
            for (int i = 0; i < payloads.size(); i++) {
                app.emitter().emit(valid().eventId("accepted-" + i).payload(payloads.get(i)).build());
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = Records.readUntil(live.bootstrap(), TOPIC,
                Records.withHeader("ce-id", "accepted-" + (payloads.size() - 1)), Duration.ofSeconds(20));
        assertEquals(payloads.size(), records.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertEquals("accepted-" + i, Records.header(records.get(i), "ce-id"));
            assertArrayEquals(payloads.get(i).getBytes(StandardCharsets.UTF_8), records.get(i).value(),
                    "payload " + payloads.get(i));
        }
    }

    private static EmitRequest.Builder valid() {
        return EmitRequest.builder("transaction.created").tenantId("t-abc").payload("{\"amount\":100}");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
