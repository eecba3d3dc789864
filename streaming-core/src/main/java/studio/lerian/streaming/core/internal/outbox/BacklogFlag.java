package studio.lerian.streaming.core.internal.outbox;

/**
 * Whether the outbox may hold unpublished rows: the cheap first check of strict ordering. While it is down (the
 * normal state) an emit pays one volatile read; while it is up, the emit asks the store about its partition key.
 *
 * <p>Raised by this instance whenever it parks a row or its relay claims rows, and by the {@link BacklogProbe} when it
 * finds a backlog, whoever parked it. Lowered by the probe only after a probe that found no unpublished row, no park of
 * this instance still in an open caller's transaction ({@link OpenParks}) and no raise since it began. That is exact:
 *
 * <ul>
 *   <li>a row committed before the probe began is seen by its query (unless already published);</li>
 *   <li>a row parked here in a caller's transaction still open when the probe began is one of its open parks: the
 *       probe sees it open, or it has ended and then committed before the query;</li>
 *   <li>a park here after the probe began raised the flag after it began.</li>
 * </ul>
 * So a row of this instance never waits unseen behind a lowered flag, however long its caller's transaction lasts.
 * Rows of other instances are seen at this instance's next probe. Thread-safe.
 */
public final class BacklogFlag {

    private volatile boolean up;
    private long raises;

    /** @return whether unpublished rows may exist */
    public boolean isUp() {
        return up;
    }

    /** This instance parked a row, or found a backlog. */
    public synchronized void raise() {
        raises++;
        up = true;
    }

    /** @return how many times the flag was raised so far: read by the probe before it looks */
    public synchronized long raises() {
        return raises;
    }

    /**
     * The probe's result: lowers the flag when the probe was quiet and nothing raised the flag since it began.
     *
     * @param quiet whether the probe found no unpublished row and no open park
     * @param raisesBefore {@link #raises()} read before the probe looked at the open parks and the store
     */
    public synchronized void probed(boolean quiet, long raisesBefore) {
        if (!quiet) {
            up = true;
        } else if (raises == raisesBefore) {
            up = false;
        }
    }
}
