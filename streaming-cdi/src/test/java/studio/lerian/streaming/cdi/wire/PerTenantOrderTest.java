package studio.lerian.streaming.cdi.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * Spec section 5.2: the tenant is the partition key, so concurrent emits of different tenants keep each tenant's events
 * on one partition, in emit order, on a topic with several partitions.
 */
class PerTenantOrderTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final int TENANTS = 5;
    private static final int EVENTS_PER_TENANT = 200;
    private static final Pattern PAYLOAD = Pattern.compile("\\{\"tenant\":\"([^\"]+)\",\"seq\":(\\d+)}");

    private static KafkaBroker broker;
    private static StreamingContainer app;

    @BeforeAll
    static void start() {
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 3, Map.of());
        app = StreamingContainer.start(Fixture.config(broker.bootstrap()), Fixture.Definitions.class);
    }

    @AfterAll
    static void stop() {
        app.close();
        broker.close();
    }

    @Test
    void eachTenantsEventsStayOnOnePartitionInEmitOrder() throws Exception {
        Emitter emitter = app.emitter();
        List<String> tenants = IntStream.range(0, TENANTS).mapToObj(i -> "tenant-" + i).toList();
        ExecutorService pool = Executors.newFixedThreadPool(TENANTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (String tenant : tenants) {
                running.add(pool.submit(() -> {
                    for (int seq = 0; seq < EVENTS_PER_TENANT; seq++) {
                        emitter.emit(EmitRequest.builder("transaction.created").tenantId(tenant)
                                .payload("{\"tenant\":\"" + tenant + "\",\"seq\":" + seq + "}").build());
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get(); // rethrows any emit failure
            }
        } finally {
            pool.shutdownNow();
        }

        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, TENANTS * EVENTS_PER_TENANT,
                Duration.ofSeconds(30));
        assertEquals(TENANTS * EVENTS_PER_TENANT, records.size(), "records on the topic");

        Map<String, List<Integer>> sequences = new HashMap<>();
        Map<String, Set<Integer>> partitions = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            Matcher m = PAYLOAD.matcher(new String(r.value(), StandardCharsets.UTF_8));
            assertTrue(m.matches(), "payload " + new String(r.value(), StandardCharsets.UTF_8));
            assertEquals(key, m.group(1), "the key is the tenant");
            assertEquals(key, Records.header(r, "ce-tenantid"));
            // The consumer returns each partition's records in offset order; a tenant's records are read in that order.
            sequences.computeIfAbsent(key, k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            partitions.computeIfAbsent(key, k -> new HashSet<>()).add(r.partition());
        }

        List<Integer> inEmitOrder = IntStream.range(0, EVENTS_PER_TENANT).boxed().toList();
        assertEquals(Set.copyOf(tenants), sequences.keySet());
        for (String tenant : tenants) {
            assertEquals(inEmitOrder, sequences.get(tenant), tenant + " sequence numbers");
            assertEquals(1, partitions.get(tenant).size(), tenant + " partitions " + partitions.get(tenant));
        }
        Set<Integer> used = new HashSet<>();
        partitions.values().forEach(used::addAll);
        assertTrue(used.size() > 1, "the tenants spread over several partitions, so order is not a one-partition accident: "
                + used);
    }
}
