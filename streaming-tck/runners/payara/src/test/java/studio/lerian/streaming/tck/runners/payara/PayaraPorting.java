package studio.lerian.streaming.tck.runners.payara;

import studio.lerian.streaming.tck.runners.support.ReferencePorting;

/**
 * The TCK porting for Payara Micro and the reference implementation. The outbox is on Payara's default datasource (H2
 * in memory, see {@code preboot.txt}) or on the PostgreSQL datasource {@code postboot.txt} creates.
 */
public class PayaraPorting extends ReferencePorting {

    /** Creates the porting; ServiceLoader calls it. */
    public PayaraPorting() {
        super("jdbc/__default", "jdbc/tck-postgresql", "streaming_tck_payara");
    }
}
