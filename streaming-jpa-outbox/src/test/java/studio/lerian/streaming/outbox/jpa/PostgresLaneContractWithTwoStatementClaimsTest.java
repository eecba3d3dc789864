package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The lane contract with the claims a provider other than Hibernate gets (a window read, then the chosen rows
 * locked), on Postgres: the same guarantees as the one-statement claim {@link PostgresLaneContractTest} runs.
 */
class PostgresLaneContractWithTwoStatementClaimsTest extends PostgresLaneContractTest {

    @Override
    JpaOutboxStore newStore() {
        return new JpaOutboxStore(emf, clock, false);
    }

    @Test
    void hibernateIsKnownToWriteALockWithALimitSoItsUnitsGetTheOneStatementClaim() {
        assertTrue(JpaOutboxStore.rendersALockWithALimit(emf));
    }
}
