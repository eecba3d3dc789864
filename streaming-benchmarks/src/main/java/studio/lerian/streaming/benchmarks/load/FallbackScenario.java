package studio.lerian.streaming.benchmarks.load;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.benchmarks.Fixtures;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Scenario c: the circuit-open fallback. The library, through CDI, points at a port where no broker listens; a burst
 * of emits fails and opens the breaker (its delay set to an hour), after which every emit parks its event in the
 * outbox at once, joining the caller's resource-local transaction. Measured: begin, emit, commit, per call, against
 * the same transaction around a hand-written JPA insert of the same row ({@link PlainOutboxRow}, the envelope bytes
 * the library would store). The relay is off in this container, so nothing else touches the table.
 */
final class FallbackScenario {

    static final String SCENARIO = "c) circuit-open fallback";
    private static final String BARE = "bare JPA insert (same tx)";
    private static final String LIBRARY = "library emit -> outbox (CDI)";
    private static final int TRIP_CALLERS = 12;

    private final BenchDatabase db;
    private final String[] tenants;
    private final String topic;

    FallbackScenario(BenchDatabase db, String[] tenants, String topic) {
        this.db = db;
        this.tenants = tenants;
        this.topic = topic;
    }

    List<Result> run(int[] threadCounts, Duration warmup, Duration measure) throws Exception {
        int maxThreads = 0;
        for (int t : threadCounts) {
            maxThreads = Math.max(maxThreads, t);
        }
        List<Result> results = new ArrayList<>();
        // two connections per caller: its transaction, and the store's per-key backlog check in another
        EntityManagerFactory unit = db.unit(2 * Math.max(maxThreads, TRIP_CALLERS) + 4);
        BenchApplication.unit = unit;
        Map<String, String> props = new HashMap<>();
        props.put("streaming.enabled", "true");
        props.put("streaming.brokers", "127.0.0.1:" + closedPort());
        props.put("streaming.cloudevents.source", Fixtures.SOURCE);
        props.put("streaming.record.delivery.timeout.s", "1");
        props.put("streaming.cb.timeout.s", "3600");
        props.put("streaming.outbox.relay.enabled", "false");
        // the envelopes a hand-written insert would store: the library's, one per tenant, encoded up front
        Map<String, OutboxEnvelope> envelopes = new HashMap<>();
        Map<String, byte[]> envelopeBytes = new HashMap<>();
        for (String tenant : tenants) {
            OutboxEnvelope envelope = OutboxEnvelope.of(Fixtures.KEY, DeliveryPolicy.defaults(), event(tenant));
            envelopes.put(tenant, envelope);
            envelopeBytes.put(tenant, envelope.toJson());
        }
        try (StreamingContainer cdi = StreamingContainer.start(props, BenchCatalog.class, BenchApplication.class)) {
            Emitter emitter = cdi.emitter();
            openBreaker(unit, emitter);
            ClosedLoop.Call library = (thread, n) -> inTransaction(unit, em -> emitter.emit(request(
                    tenants[(int) ((thread + n) % tenants.length)])));
            ClosedLoop.Call bare = (thread, n) -> {
                String tenant = tenants[(int) ((thread + n) % tenants.length)];
                inTransaction(unit, em -> em.persist(new PlainOutboxRow(UUID.randomUUID().toString(),
                        envelopes.get(tenant).aggregateId().toString(), tenant, topic, envelopeBytes.get(tenant),
                        OffsetDateTime.now(ZoneOffset.UTC))));
            };
            for (int i = 0; i < threadCounts.length; i++) {
                int threads = threadCounts[i];
                boolean bareFirst = i % 2 == 0;
                Result first = bareFirst
                        ? ClosedLoop.run(SCENARIO, BARE, true, threads, 1, warmup, measure, bare)
                        : ClosedLoop.run(SCENARIO, LIBRARY, false, threads, 1, warmup, measure, library);
                Result second = bareFirst
                        ? ClosedLoop.run(SCENARIO, LIBRARY, false, threads, 1, warmup, measure, library)
                        : ClosedLoop.run(SCENARIO, BARE, true, threads, 1, warmup, measure, bare);
                results.add(bareFirst ? first : second);
                results.add(bareFirst ? second : first);
            }
        } finally {
            BenchApplication.unit = null;
            unit.close();
            db.execute("DELETE FROM lerian_streaming_outbox");
        }
        return results;
    }

    /**
     * Emits from several threads at once until emits come back at once (the breaker open) rather than after the
     * delivery timeout: the breaker needs 10 calls with half of them failed.
     */
    private void openBreaker(EntityManagerFactory unit, Emitter emitter) throws Exception {
        System.out.println(SCENARIO + ": opening the breaker against a closed port");
        ExecutorService pool = Executors.newFixedThreadPool(TRIP_CALLERS);
        try {
            for (int round = 0; round < 10; round++) {
                List<Future<Long>> calls = new ArrayList<>();
                for (int i = 0; i < TRIP_CALLERS; i++) {
                    String tenant = tenants[i % tenants.length];
                    calls.add(pool.submit(() -> {
                        long start = System.nanoTime();
                        try {
                            inTransaction(unit, em -> emitter.emit(request(tenant)));
                        } catch (StreamingException expected) {
                            // a failed publish that did not park: counts for the breaker all the same
                        }
                        return System.nanoTime() - start;
                    }));
                }
                long slowest = 0;
                for (Future<Long> f : calls) {
                    slowest = Math.max(slowest, f.get());
                }
                if (slowest < Duration.ofMillis(200).toNanos()) {
                    System.out.println(SCENARIO + ": breaker open (12 emits parked in under 200 ms each)");
                    return;
                }
            }
            throw new IllegalStateException("the breaker did not open after 10 rounds of 12 failing emits");
        } finally {
            pool.shutdownNow();
        }
    }

    private static EmitRequest request(String tenant) {
        return EmitRequest.builder(Fixtures.KEY).tenantId(tenant).subject("pay_8f3a2c").payload(Fixtures.KIB_JSON)
                .build();
    }

    private static ResolvedEvent event(String tenant) {
        return ResolvedEvent.builder().tenantId(tenant).resourceType("payment").eventType("captured")
                .eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                .timestamp(OffsetDateTime.now(ZoneOffset.UTC)).source(Fixtures.SOURCE).subject("pay_8f3a2c")
                .dataContentType("application/json").payload(Fixtures.KIB_JSON).build();
    }

    /** What the application does around its work: its own entity manager and transaction, committed. */
    private interface Work {
        void run(EntityManager em);
    }

    private static void inTransaction(EntityManagerFactory unit, Work work) {
        EntityManager em = unit.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        BenchApplication.UNIT_OF_WORK.set(em);
        try {
            tx.begin();
            work.run(em);
            tx.commit();
        } finally {
            BenchApplication.UNIT_OF_WORK.remove();
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
