package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The backlog lookup's query timeout as JDBC can express it: whole seconds, rounded down so that the lookup gives up
 * within the emit's budget, and at least one second, because zero would mean no timeout at all.
 */
class QueryTimeoutRoundingTest {

    @Test
    void wholeSecondsRoundedDown() {
        assertEquals(3000, JpaOutboxStore.queryTimeoutMillis(Duration.ofMillis(3250)));
        assertEquals(2000, JpaOutboxStore.queryTimeoutMillis(Duration.ofMillis(2999)));
        assertEquals(1000, JpaOutboxStore.queryTimeoutMillis(Duration.ofSeconds(1)));
    }

    @Test
    void neverLessThanOneSecond() {
        assertEquals(1000, JpaOutboxStore.queryTimeoutMillis(Duration.ofMillis(250)));
        assertEquals(1000, JpaOutboxStore.queryTimeoutMillis(Duration.ofNanos(1)));
    }

    @Test
    void aHugeBudgetStaysAnInt() {
        assertEquals(Integer.MAX_VALUE / 1000 * 1000, JpaOutboxStore.queryTimeoutMillis(Duration.ofDays(365)));
    }
}
