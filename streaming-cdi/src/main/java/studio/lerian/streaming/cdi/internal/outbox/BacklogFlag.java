package studio.lerian.streaming.cdi.internal.outbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the outbox may hold unpublished rows: the cheap first check of strict ordering. While it is down (the
 * normal state) an emit pays one volatile read; while it is up, the emit asks the store about its partition key.
 *
 * <p>Raised by this instance whenever it parks a row or its relay claims rows, and by the {@link BacklogProbe} when it
 * finds a backlog. Lowered by the probe only after two consecutive probes found no backlog with no row parked in
 * between, which leaves time for the caller's transaction that holds a freshly parked row to commit. Rows parked by
 * other instances are seen at this instance's next probe, whether or not it relays. Thread-safe.
 */
public final class BacklogFlag {

    /** Counts raises; the probe lowers the flag only if no raise happened since it last looked. */
    private final AtomicLong raises = new AtomicLong();
    private volatile boolean up;
    private long quietPolls;
    private long raisesSeenAtLastPoll = -1;

    /** @return whether unpublished rows may exist */
    public boolean isUp() {
        return up;
    }

    /** This instance parked a row, or found a backlog. */
    public void raise() {
        raises.incrementAndGet();
        up = true;
    }

    /**
     * The probe's result: lowers the flag after the second quiet probe in a row with no raise in between.
     *
     * @param backlogEmpty whether the probe found no unpublished row
     */
    public synchronized void polled(boolean backlogEmpty) {
        long now = raises.get();
        if (!backlogEmpty) {
            quietPolls = 0;
            up = true;
        } else if (now != raisesSeenAtLastPoll) {
            quietPolls = 1;
        } else if (++quietPolls >= 2) {
            up = false;
        }
        raisesSeenAtLastPoll = now;
    }
}
