package studio.lerian.streaming.tck.runners.liberty;

import studio.lerian.streaming.tck.runners.support.ReferencePorting;

/**
 * The TCK porting for Open Liberty and the reference implementation. The outbox is on one of the two datasources of
 * {@code server.xml}: {@code jdbc/tck-h2} (a file database under the server's output folder) or
 * {@code jdbc/tck-postgresql}.
 */
public class LibertyPorting extends ReferencePorting {

    /** Creates the porting; ServiceLoader calls it. */
    public LibertyPorting() {
        super("jdbc/tck-h2", "jdbc/tck-postgresql", "streaming_tck_liberty");
    }
}
