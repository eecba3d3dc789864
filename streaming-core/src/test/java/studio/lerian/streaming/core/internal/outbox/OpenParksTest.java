package studio.lerian.streaming.core.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.spi.OutboxWrite;

/** Parks in callers' transactions not ended yet: held per key until every write of the key has settled. */
class OpenParksTest {

    private final OpenParks parks = new OpenParks();

    @Test
    void aSettledWriteIsNotKept() {
        parks.add(List.of("a"), OutboxWrite.SETTLED);
        assertFalse(parks.holds("a"));
        assertFalse(parks.any());
    }

    @Test
    void aKeyIsHeldUntilEveryOneOfItsWritesHasSettled() {
        AtomicBoolean first = new AtomicBoolean();
        AtomicBoolean second = new AtomicBoolean();
        parks.add(List.of("a", "b"), first::get);
        parks.add(List.of("a"), second::get);
        assertTrue(parks.holds("a"));
        assertTrue(parks.holds("b"));
        assertFalse(parks.holds("c"));

        first.set(true);
        assertFalse(parks.holds("b"));
        assertTrue(parks.holds("a"), "its second write is still open");
        assertTrue(parks.any());

        second.set(true);
        assertFalse(parks.holds("a"));
        assertFalse(parks.any());
    }

    @Test
    void aWriteStillOpenBehindSettledOnesIsSeen() {
        AtomicBoolean earlier = new AtomicBoolean();
        AtomicBoolean later = new AtomicBoolean();
        parks.add(List.of("a"), earlier::get);
        parks.add(List.of("a"), later::get);
        earlier.set(true);
        assertTrue(parks.holds("a"));
        assertTrue(parks.any());

        later.set(true);
        assertFalse(parks.any());
        assertFalse(parks.holds("a"));
    }
}
