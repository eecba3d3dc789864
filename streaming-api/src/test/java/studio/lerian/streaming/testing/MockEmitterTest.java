package studio.lerian.streaming.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;

class MockEmitterTest {

    private static EmitRequest request(String key, String tenant) {
        return EmitRequest.builder(key).tenantId(tenant).payload("{}").build();
    }

    private static List<String> keys(MockEmitter mock) {
        return mock.requests().stream().map(EmitRequest::definitionKey).toList();
    }

    @Test
    void recordsRequestsInEmissionOrder() {
        MockEmitter mock = new MockEmitter();
        EmitRequest first = request("order.placed", "t1");
        mock.emit(first);
        mock.emit(request("order.paid", "t1"));
        mock.emit(request("order.placed", "t2"));
        assertEquals(List.of("order.placed", "order.paid", "order.placed"), keys(mock));
        assertSame(first, mock.requests().get(0));
    }

    @Test
    void recordsWithoutValidatingKeysPayloadsOrTenants() {
        MockEmitter mock = new MockEmitter();
        mock.emit(EmitRequest.builder("no.such.definition").payload("{not json").build());
        assertEquals(1, mock.requests().size());
        assertEquals("{not json", mock.requests().get(0).payloadAsString());
        assertEquals("", mock.requests().get(0).tenantId());
    }

    @Test
    void requestsAreAnUnmodifiableSnapshot() {
        MockEmitter mock = new MockEmitter();
        mock.emit(request("a.b", "t"));
        List<EmitRequest> snapshot = mock.requests();
        mock.emit(request("c.d", "t"));
        assertEquals(1, snapshot.size());
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(request("x.y", "t")));
        assertEquals(2, mock.requests().size());
    }

    @Test
    void injectedErrorIsThrownAndTheRequestIsNotRecorded() {
        MockEmitter mock = new MockEmitter();
        StreamingException injected = new StreamingException(ErrorCode.CIRCUIT_OPEN);
        mock.setError(injected);
        StreamingException thrown = assertThrows(StreamingException.class, () -> mock.emit(request("a.b", "t")));
        assertSame(injected, thrown);
        assertTrue(mock.requests().isEmpty());
    }

    @Test
    void clearingTheInjectedErrorRestoresRecording() {
        MockEmitter mock = new MockEmitter();
        mock.setError(new IllegalStateException("boom"));
        assertThrows(IllegalStateException.class, () -> mock.emit(request("a.b", "t")));
        mock.setError(null);
        mock.emit(request("a.b", "t"));
        assertEquals(List.of("a.b"), keys(mock));
    }

    @Test
    void resetClearsRequestsAndInjectedErrorButKeepsClosed() {
        MockEmitter mock = new MockEmitter();
        mock.emit(request("a.b", "t"));
        mock.close();
        mock.setError(new IllegalStateException("boom"));
        mock.reset();
        assertTrue(mock.requests().isEmpty());
        assertTrue(mock.isClosed());
        mock.emit(request("c.d", "t"));
        assertEquals(List.of("c.d"), keys(mock));
    }

    @Test
    void emitAfterCloseStillRecords() {
        MockEmitter mock = new MockEmitter();
        assertFalse(mock.isClosed());
        mock.close();
        mock.close();
        assertTrue(mock.isClosed());
        mock.emit(request("a.b", "t"));
        assertEquals(List.of("a.b"), keys(mock));
    }

    @Test
    void closesAsAnAutoCloseable() {
        MockEmitter mock = new MockEmitter();
        try (MockEmitter m = mock) {
            m.emit(request("a.b", "t"));
        }
        assertTrue(mock.isClosed());
    }

    @Test
    void isAlwaysHealthy() {
        MockEmitter mock = new MockEmitter();
        mock.setError(new IllegalStateException("boom"));
        mock.close();
        assertTrue(mock.health().isHealthy());
    }

    @Test
    void nullRequestIsRejected() {
        MockEmitter mock = new MockEmitter();
        assertThrows(NullPointerException.class, () -> mock.emit(null));
        assertTrue(mock.requests().isEmpty());
    }

    @Test
    void concurrentEmitsFromEightThreadsAreAllRecordedInEachThreadsOrder() throws Exception {
        int threads = 8;
        int perThread = 500;
        MockEmitter mock = new MockEmitter();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String tenant = "tenant-" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        mock.emit(EmitRequest.builder("a.b").tenantId(tenant).subject(Integer.toString(i)).build());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<EmitRequest> all = mock.requests();
        assertEquals(threads * perThread, all.size());
        for (int t = 0; t < threads; t++) {
            String tenant = "tenant-" + t;
            List<String> subjects = all.stream().filter(r -> r.tenantId().equals(tenant)).map(EmitRequest::subject)
                    .toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                expected.add(Integer.toString(i));
            }
            assertEquals(expected, subjects, tenant);
        }
    }

    @Test
    void emitAllRecordsTheBatchInOrderAndAsABatch() {
        MockEmitter mock = new MockEmitter();
        mock.emit(request("order.placed", "t1"));
        mock.emitAll(List.of(request("order.paid", "t1"), request("order.shipped", "t1")));
        mock.emitAll(List.of());
        assertEquals(List.of("order.placed", "order.paid", "order.shipped"), keys(mock));
        assertEquals(1, mock.batches().size(), "an empty batch is not recorded");
        assertEquals(List.of("order.paid", "order.shipped"),
                mock.batches().get(0).stream().map(EmitRequest::definitionKey).toList());
        mock.reset();
        assertTrue(mock.batches().isEmpty());
    }

    @Test
    void emitAllWithAnInjectedErrorThrowsItAndRecordsNothing() {
        MockEmitter mock = new MockEmitter();
        StreamingException down = new StreamingException(ErrorCode.CIRCUIT_OPEN);
        mock.setError(down);
        assertSame(down, assertThrows(StreamingException.class,
                () -> mock.emitAll(List.of(request("order.paid", "t1")))));
        assertTrue(mock.requests().isEmpty());
        assertTrue(mock.batches().isEmpty());
    }

    @Test
    void emitAllNamesANullRequestByItsIndex() {
        MockEmitter mock = new MockEmitter();
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> mock.emitAll(java.util.Arrays.asList(request("order.paid", "t1"), null)));
        assertEquals("requests[1] is null", e.getMessage());
        assertTrue(mock.requests().isEmpty(), "nothing of a rejected batch is recorded");
    }
}
