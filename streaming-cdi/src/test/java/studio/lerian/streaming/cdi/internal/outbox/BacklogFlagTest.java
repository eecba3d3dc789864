package studio.lerian.streaming.cdi.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The strict-ordering flag: cheap when no backlog exists, lowered only after two quiet polls. */
class BacklogFlagTest {

    @Test
    void startsDownSoTheNormalEmitPaysNothing() {
        assertFalse(new BacklogFlag().isUp());
    }

    @Test
    void aParkedRowRaisesItAndTwoQuietPollsWithoutNewRowsLowerIt() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        flag.polled(true);
        assertTrue(flag.isUp(), "one quiet poll right after a park: the caller's transaction may not have committed");
        flag.polled(true);
        assertFalse(flag.isUp());
    }

    @Test
    void aParkBetweenQuietPollsKeepsItUp() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        flag.polled(true);
        flag.raise();
        flag.polled(true);
        assertTrue(flag.isUp());
        flag.polled(true);
        assertFalse(flag.isUp());
    }

    @Test
    void aBacklogFoundByThePollRaisesIt() {
        BacklogFlag flag = new BacklogFlag();
        flag.polled(false);
        assertTrue(flag.isUp(), "rows parked by another instance are seen at the next poll");
    }
}
