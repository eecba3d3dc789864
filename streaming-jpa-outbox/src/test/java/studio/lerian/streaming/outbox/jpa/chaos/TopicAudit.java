package studio.lerian.streaming.outbox.jpa.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the topic says after a chaos run, held against what the callers were told: deduplicated on {@code ce-id}
 * (duplicates counted, since a send reported as timed out can still land and its replay then lands too), every
 * acknowledged emit present, and each tenant's acknowledged events in the order they were emitted.
 */
final class TopicAudit {

    private final Map<String, List<Integer>> acked;
    private final Map<String, List<Integer>> seen = new HashMap<>();
    private final Set<String> ids = new HashSet<>();
    private final int records;
    private int duplicates;

    /**
     * @param records the topic read from the beginning
     * @param acked per tenant, the sequence numbers of the acknowledged emits in emit order
     */
    TopicAudit(List<ConsumerRecord<byte[], byte[]>> records, Map<String, List<Integer>> acked) {
        this.acked = acked;
        this.records = records.size();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String id = new String(r.headers().lastHeader("ce-id").value(), StandardCharsets.UTF_8);
            if (!ids.add(id)) {
                duplicates++;
                continue;
            }
            String tenant = new String(r.key(), StandardCharsets.UTF_8);
            String value = new String(r.value(), StandardCharsets.UTF_8);
            seen.computeIfAbsent(tenant, k -> new ArrayList<>())
                    .add(Integer.parseInt(value.replaceAll("[^0-9]", "")));
        }
    }

    /** @return records read, duplicates included */
    int records() {
        return records;
    }

    /** @return distinct {@code ce-id}s read */
    int distinct() {
        return ids.size();
    }

    /** @return records whose {@code ce-id} was read before */
    int duplicates() {
        return duplicates;
    }

    /**
     * Asserts that every acknowledged emit is on the topic, in emit order per tenant.
     *
     * @param figures the run's figures, for the failure messages
     */
    void assertEveryAcknowledgedEmitInOrder(String figures) {
        long onTopic = 0;
        int total = 0;
        for (Map.Entry<String, List<Integer>> e : acked.entrySet()) {
            Set<Integer> owed = new LinkedHashSet<>(e.getValue());
            total += owed.size();
            List<Integer> onKafka = new ArrayList<>(seen.getOrDefault(e.getKey(), List.of()));
            onKafka.retainAll(owed);
            onTopic += onKafka.size();
            Set<Integer> missing = new LinkedHashSet<>(owed);
            missing.removeAll(onKafka);
            assertEquals(Set.of(), missing, e.getKey() + ": acknowledged events missing from Kafka; " + figures);
            for (int i = 1; i < onKafka.size(); i++) {
                int at = i;
                assertTrue(onKafka.get(i - 1) < onKafka.get(i), () -> e.getKey() + ": out of order at position " + at
                        + ": " + onKafka.subList(Math.max(0, at - 5), Math.min(onKafka.size(), at + 5)));
            }
        }
        assertEquals(total, onTopic, "every acknowledged emit is on the topic exactly once after dedupe");
    }
}
