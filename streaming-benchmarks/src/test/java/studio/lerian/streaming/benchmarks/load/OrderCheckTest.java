package studio.lerian.streaming.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderCheckTest {

    /** Three keys, four events each, staged round robin as the harness stages them: a-0, b-0, c-0, a-1, ... */
    private static final List<String> KEYS = List.of("tenant-a", "tenant-b", "tenant-c");
    private static final int PER_KEY = 4;

    private final Map<String, OrderCheck.Staged> staged = new HashMap<>();
    private final List<String[]> creationOrder = new ArrayList<>();

    OrderCheckTest() {
        for (int i = 0; i < KEYS.size() * PER_KEY; i++) {
            String key = KEYS.get(i % KEYS.size());
            String id = key + "/" + (i / KEYS.size());
            staged.put(id, new OrderCheck.Staged(key, i / KEYS.size()));
            creationOrder.add(new String[] {key, id});
        }
    }

    @Test
    void deliveriesInCreationOrderHaveNoViolation() {
        OrderCheck.Report r = check(creationOrder);
        assertEquals(12, r.read());
        assertEquals(12, r.distinct());
        assertEquals(0, r.duplicates());
        assertEquals(0, r.violations());
        assertEquals("0", r.violationsText());
        assertEquals(0, r.missing());
        assertEquals(0, r.unexpected());
    }

    @Test
    void keysInterleavedAnyHowStillInOrderPerKey() {
        // a's events, then b's, then c's: a different interleaving of keys, each key still in its order
        List<String[]> byKey = new ArrayList<>(creationOrder);
        byKey.sort((x, y) -> x[0].compareTo(y[0]));
        assertEquals(0, check(byKey).violations());
    }

    @Test
    void aLaterEventOfAKeyAheadOfAnEarlierOneIsAViolationOfThatKey() {
        List<String[]> reordered = new ArrayList<>(creationOrder);
        Collections.swap(reordered, 1, 4); // b-0 and b-1: b-1 first
        OrderCheck.Report r = check(reordered);
        assertEquals(Map.of("tenant-b", 1L), r.violationsByKey());
        assertEquals("1 in 1 key", r.violationsText());
        assertEquals(12, r.distinct());
        assertEquals(0, r.missing());
    }

    @Test
    void everyFirstDeliveryBehindALaterOneCountsOnce() {
        // a: 3, 2, 1, 0 (three violations); c: 1, 0 then the rest (one); b untouched
        List<String[]> reordered = new ArrayList<>();
        for (int seq = PER_KEY - 1; seq >= 0; seq--) {
            reordered.add(new String[] {"tenant-a", "tenant-a/" + seq});
        }
        reordered.add(new String[] {"tenant-c", "tenant-c/1"});
        reordered.add(new String[] {"tenant-c", "tenant-c/0"});
        reordered.add(new String[] {"tenant-c", "tenant-c/2"});
        reordered.add(new String[] {"tenant-c", "tenant-c/3"});
        for (int seq = 0; seq < PER_KEY; seq++) {
            reordered.add(new String[] {"tenant-b", "tenant-b/" + seq});
        }
        OrderCheck.Report r = check(reordered);
        assertEquals(Map.of("tenant-a", 3L, "tenant-c", 1L), r.violationsByKey());
        assertEquals(4, r.violations());
        assertEquals("4 in 2 keys", r.violationsText());
    }

    @Test
    void aShuffledDrainOfManyRowsIsCaught() {
        List<String[]> shuffled = new ArrayList<>(creationOrder);
        Collections.shuffle(shuffled, new Random(15));
        OrderCheck.Report r = check(shuffled);
        assertEquals(expectedViolations(shuffled), r.violations());
        assertTrue(r.violations() > 0, "the seeded shuffle reorders some key");
    }

    @Test
    void aRedeliveryIsADuplicateNotAViolation() {
        List<String[]> replayed = new ArrayList<>(creationOrder);
        // a relay that died after the acknowledgement: a-0 and a-1 published again after later events
        replayed.add(new String[] {"tenant-a", "tenant-a/0"});
        replayed.add(new String[] {"tenant-a", "tenant-a/1"});
        OrderCheck.Report r = check(replayed);
        assertEquals(14, r.read());
        assertEquals(12, r.distinct());
        assertEquals(2, r.duplicates());
        assertEquals(0, r.violations());
    }

    @Test
    void aMissingEventIsMissingNotAViolation() {
        List<String[]> lost = new ArrayList<>(creationOrder);
        lost.removeIf(d -> d[1].equals("tenant-c/1"));
        OrderCheck.Report r = check(lost);
        assertEquals(1, r.missing());
        assertEquals(0, r.violations());
    }

    @Test
    void foreignIdsWrongKeysAndUnreadableIdsAreUnexpected() {
        List<String[]> odd = new ArrayList<>(creationOrder);
        odd.add(new String[] {"tenant-a", "not-staged"});
        odd.add(new String[] {"tenant-a", null});
        odd.removeIf(d -> d[1] != null && d[1].equals("tenant-b/3"));
        odd.add(new String[] {"tenant-c", "tenant-b/3"});
        OrderCheck.Report r = check(odd);
        assertEquals(3, r.unexpected());
        assertEquals(1, r.missing(), "b-3 under another key is not b-3 delivered");
        assertEquals(0, r.violations());
    }

    private OrderCheck.Report check(List<String[]> deliveries) {
        OrderCheck check = new OrderCheck(staged);
        deliveries.forEach(d -> check.accept(d[0], d[1]));
        return check.report();
    }

    /** The definition, computed the slow way: first deliveries with a later event of their key delivered before. */
    private long expectedViolations(List<String[]> deliveries) {
        long violations = 0;
        for (int i = 0; i < deliveries.size(); i++) {
            OrderCheck.Staged event = staged.get(deliveries.get(i)[1]);
            for (int j = 0; j < i; j++) {
                OrderCheck.Staged before = staged.get(deliveries.get(j)[1]);
                if (before.key().equals(event.key()) && before.seq() > event.seq()) {
                    violations++;
                    break;
                }
            }
        }
        return violations;
    }
}
