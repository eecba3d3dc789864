package studio.lerian.streaming.core.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The strict-ordering flag: cheap when no backlog exists; lowered by a quiet probe, unless something raised it since
 * that probe began.
 */
class BacklogFlagTest {

    @Test
    void startsDownSoTheNormalEmitPaysNothing() {
        assertFalse(new BacklogFlag().isUp());
    }

    @Test
    void aParkedRowRaisesItAndAQuietProbeAfterwardsLowersIt() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        long before = flag.raises();
        flag.probed(true, before);
        assertFalse(flag.isUp());
    }

    @Test
    void aParkDuringAProbeKeepsItUp() {
        BacklogFlag flag = new BacklogFlag();
        flag.raise();
        long before = flag.raises();
        flag.raise(); // parked after the probe began: its row may have committed after the probe's query
        flag.probed(true, before);
        assertTrue(flag.isUp());
        flag.probed(true, flag.raises());
        assertFalse(flag.isUp());
    }

    @Test
    void aProbeThatFoundABacklogOrAnOpenParkRaisesIt() {
        BacklogFlag flag = new BacklogFlag();
        flag.probed(false, flag.raises());
        assertTrue(flag.isUp(), "rows parked by another instance are seen at the next probe");
    }
}
