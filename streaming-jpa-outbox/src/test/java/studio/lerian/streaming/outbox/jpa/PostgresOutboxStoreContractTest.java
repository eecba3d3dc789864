package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract on PostgreSQL with its shipped DDL, in a schema of its own, plus two relays draining 20,000 rows (with
 * marking claims, then with held batches). Skipped when PostgreSQL is not reachable on 127.0.0.1:5432, except under CI
 * (the {@code CI} environment variable), where that fails.
 */
class PostgresOutboxStoreContractTest extends AbstractOutboxStoreContractTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open();
    }

    @Test
    void twoRelaysDrainTwentyThousandRowsEachOnceInKeyOrder() throws Exception {
        Map<String, Integer> claims = drain(20_000, 40, 100);
        assertEquals(2, claims.size(), "both relays claimed: " + claims);
        assertTrue(claims.values().stream().allMatch(n -> n > 0), "both relays did real work: " + claims);
    }

    @Test
    void twoRelaysHoldingBatchesDrainTwentyThousandRowsEachOnceInKeyOrder() throws Exception {
        Map<String, Integer> claims = drain(20_000, 40, 100, true);
        assertEquals(2, claims.size(), "both relays claimed: " + claims);
        assertTrue(claims.values().stream().allMatch(n -> n > 0), "both relays did real work: " + claims);
    }
}
