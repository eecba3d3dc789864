package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The lane condition a claim appends: the lanes held as literals, none when every lane is held. */
class ClaimScopeTest {

    private static final String NOT_UNHASHED = " and e.keyHash is not null";

    @Test
    void everyRowWhenTheRelayHoldsNoLanes() {
        assertEquals("", ClaimScope.ALL.where());
        assertFalse(ClaimScope.ALL.isEmpty());
    }

    @Test
    void aRelayHoldingEveryLaneFiltersOnNoLaneOnlyOnRowsWithoutAHash() {
        String where = ClaimScope.lanes(IntStream.range(0, 256).boxed().toList(), 256).where();
        assertTrue(where.startsWith(NOT_UNHASHED + " and e.seq < coalesce((select min(u.seq)"), where);
        assertFalse(where.contains("mod("), where);
    }

    @Test
    void heldLanesAreWrittenAsAListOfLiteralsInOrder() {
        String where = ClaimScope.lanes(List.of(8, 0, 1, 2, 5, 7, 255), 256).where();
        assertTrue(where.startsWith(NOT_UNHASHED + " and mod(e.keyHash, 256) in (0, 1, 2, 5, 7, 8, 255)"), where);
    }

    @Test
    void noLanesLeftMeansNoRow() {
        ClaimScope scope = ClaimScope.lanes(List.of(), 256);
        assertTrue(scope.isEmpty());
    }
}
