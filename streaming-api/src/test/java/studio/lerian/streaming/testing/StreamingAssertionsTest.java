package studio.lerian.streaming.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;

class StreamingAssertionsTest {

    private static EmitRequest request(String key, String tenant) {
        return EmitRequest.builder(key).tenantId(tenant).payload("{}").build();
    }

    private static MockEmitter mockWith(EmitRequest... requests) {
        MockEmitter mock = new MockEmitter();
        for (EmitRequest r : requests) {
            mock.emit(r);
        }
        return mock;
    }

    @Test
    void assertEventEmittedPassesWhenAnyRequestHasTheKey() {
        MockEmitter mock = mockWith(request("order.paid", "t1"), request("order.placed", "t1"));
        assertDoesNotThrow(() -> StreamingAssertions.assertEventEmitted(mock, "order.placed"));
    }

    @Test
    void assertEventEmittedFailureNamesTheKeyAndTheCapturedCount() {
        MockEmitter mock = mockWith(request("order.paid", "t1"), request("order.paid", "t2"));
        AssertionError e = assertThrows(AssertionError.class,
                () -> StreamingAssertions.assertEventEmitted(mock, "order.placed"));
        assertEquals("expected event order.placed to be emitted; none found in 2 captured requests", e.getMessage());
    }

    @Test
    void assertEventCountPassesOnTheExactCount() {
        MockEmitter mock = mockWith(request("a.b", "t"), request("c.d", "t"), request("a.b", "t"));
        assertDoesNotThrow(() -> StreamingAssertions.assertEventCount(mock, "a.b", 2));
        assertDoesNotThrow(() -> StreamingAssertions.assertEventCount(mock, "x.y", 0));
    }

    @Test
    void assertEventCountFailureGivesExpectedAndActual() {
        MockEmitter mock = mockWith(request("a.b", "t"), request("a.b", "t"));
        AssertionError more = assertThrows(AssertionError.class,
                () -> StreamingAssertions.assertEventCount(mock, "a.b", 3));
        assertEquals("expected 3 events of a.b; got 2", more.getMessage());
        AssertionError fewer = assertThrows(AssertionError.class,
                () -> StreamingAssertions.assertEventCount(mock, "a.b", 1));
        assertEquals("expected 1 events of a.b; got 2", fewer.getMessage());
    }

    @Test
    void assertTenantIdPassesWhenAnyRequestHasTheTenant() {
        MockEmitter mock = mockWith(request("a.b", "t1"), request("a.b", "t2"));
        assertDoesNotThrow(() -> StreamingAssertions.assertTenantId(mock, "t2"));
    }

    @Test
    void assertTenantIdFailureQuotesTheTenant() {
        MockEmitter mock = mockWith(request("a.b", "t1"));
        AssertionError e = assertThrows(AssertionError.class, () -> StreamingAssertions.assertTenantId(mock, "t-x"));
        assertEquals("expected at least one event with tenantId=\"t-x\"; none found in 1 captured requests",
                e.getMessage());
    }

    @Test
    void assertNoEventsPassesOnAnEmptyMock() {
        MockEmitter mock = new MockEmitter();
        assertDoesNotThrow(() -> StreamingAssertions.assertNoEvents(mock));
        mock.emit(request("a.b", "t"));
        mock.reset();
        assertDoesNotThrow(() -> StreamingAssertions.assertNoEvents(mock));
    }

    @Test
    void assertNoEventsFailureGivesTheCount() {
        MockEmitter mock = mockWith(request("a.b", "t"));
        AssertionError e = assertThrows(AssertionError.class, () -> StreamingAssertions.assertNoEvents(mock));
        assertEquals("expected no events to be emitted; got 1", e.getMessage());
    }

    @Test
    void waitForEventReturnsTheFirstRecordedMatchInOrder() {
        EmitRequest first = request("a.b", "t2");
        MockEmitter mock = mockWith(request("a.b", "t1"), first, request("a.b", "t2"));
        assertSame(first, StreamingAssertions.waitForEvent(mock, r -> r.tenantId().equals("t2"), Duration.ZERO));
    }

    @Test
    void waitForEventReturnsARequestEmittedLaterFromAnotherThread() throws InterruptedException {
        MockEmitter mock = mockWith(request("noise", "t"));
        CountDownLatch polling = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                polling.await(); // emit only once the waiter has scanned and found nothing
                mock.emit(request("order.placed", "t"));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        producer.start();
        EmitRequest found = StreamingAssertions.waitForEvent(mock, r -> {
            polling.countDown();
            return r.definitionKey().equals("order.placed");
        }, Duration.ofSeconds(30));
        producer.join();
        assertNull(failure.get());
        assertEquals("order.placed", found.definitionKey());
        assertSame(mock.requests().get(1), found);
    }

    @Test
    void waitForEventTimesOutNamingTheTimeout() {
        MockEmitter mock = mockWith(request("a.b", "t"));
        AssertionError e = assertThrows(AssertionError.class, () -> StreamingAssertions.waitForEvent(mock,
                r -> r.definitionKey().equals("never"), Duration.ofMillis(50)));
        assertTrue(e.getMessage().startsWith("waitForEvent timed out after PT0.05S"), e.getMessage());
    }

    @Test
    void waitForEventWithZeroTimeoutScansOnce() {
        MockEmitter mock = new MockEmitter();
        AssertionError e = assertThrows(AssertionError.class,
                () -> StreamingAssertions.waitForEvent(mock, r -> true, Duration.ZERO));
        assertEquals("waitForEvent timed out after PT0S", e.getMessage());
    }

    @Test
    void waitForEventRejectsANullMatcherAndANegativeTimeout() {
        MockEmitter mock = new MockEmitter();
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> StreamingAssertions.waitForEvent(mock, null, Duration.ofSeconds(1)));
        assertEquals("matcher must not be null", npe.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StreamingAssertions.waitForEvent(mock, r -> true, Duration.ofMillis(-1)));
    }

    @Test
    void waitForEventFailsWhenInterruptedAndKeepsTheInterruptFlag() {
        MockEmitter mock = new MockEmitter();
        Thread.currentThread().interrupt();
        try {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> StreamingAssertions.waitForEvent(mock, r -> true, Duration.ofMinutes(5)));
            assertEquals("waitForEvent interrupted", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void assertEmittedTogetherPassesOnlyForOneBatchOfExactlyTheKeysInOrder() {
        MockEmitter mock = new MockEmitter();
        mock.emit(EmitRequest.builder("order.placed").tenantId("t1").payload("{}").build());
        mock.emitAll(java.util.List.of(EmitRequest.builder("order.paid").tenantId("t1").payload("{}").build(),
                EmitRequest.builder("order.shipped").tenantId("t1").payload("{}").build()));
        assertDoesNotThrow(() -> StreamingAssertions.assertEmittedTogether(mock, "order.paid", "order.shipped"));
        AssertionError e = assertThrows(AssertionError.class,
                () -> StreamingAssertions.assertEmittedTogether(mock, "order.shipped", "order.paid"));
        assertEquals("expected one batch of [order.shipped, order.paid]; got batches [[order.paid, order.shipped]]",
                e.getMessage());
        assertThrows(AssertionError.class, () -> StreamingAssertions.assertEmittedTogether(mock, "order.placed"));
    }

    // ---- typed payloads (text here: this module has no JSON serializer) ----

    @Test
    void payloadsOfReadsTheDefinitionsPayloadsInEmitOrder() {
        MockEmitter mock = mockWith(
                EmitRequest.builder("a.b").tenantId("t").payload("{\"n\":1}").build(),
                EmitRequest.builder("c.d").tenantId("t").payload("{\"n\":2}").build(),
                EmitRequest.builder("a.b").tenantId("t").payload("{\"n\":3}").build());
        assertEquals(java.util.List.of("{\"n\":1}", "{\"n\":3}"),
                StreamingAssertions.payloadsOf(mock, "a.b", String.class));
        assertEquals(java.util.List.of(), StreamingAssertions.payloadsOf(mock, "x.y", String.class));
    }

    @Test
    void assertPayloadEmittedReturnsTheFirstMatchingPayload() {
        MockEmitter mock = mockWith(
                EmitRequest.builder("a.b").tenantId("t").payload("{\"n\":1}").build(),
                EmitRequest.builder("a.b").tenantId("t").payload("{\"n\":22}").build(),
                EmitRequest.builder("a.b").tenantId("t").payload("{\"n\":23}").build());
        assertEquals("{\"n\":22}",
                StreamingAssertions.assertPayloadEmitted(mock, "a.b", String.class, p -> p.contains("2")));
    }

    @Test
    void assertPayloadEmittedFailureCountsThePayloadsWithoutQuotingThem() {
        MockEmitter mock = mockWith(
                EmitRequest.builder("a.b").tenantId("t").payload("{\"account\":\"secret\"}").build(),
                EmitRequest.builder("c.d").tenantId("t").payload("{\"n\":2}").build());
        AssertionError e = assertThrows(AssertionError.class,
                () -> StreamingAssertions.assertPayloadEmitted(mock, "a.b", String.class, p -> p.contains("amount")));
        assertEquals("expected an event a.b whose java.lang.String payload matches; none of its 1 matched",
                e.getMessage());
    }
}
