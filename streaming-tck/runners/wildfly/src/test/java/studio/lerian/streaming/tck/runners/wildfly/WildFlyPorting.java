package studio.lerian.streaming.tck.runners.wildfly;

import studio.lerian.streaming.tck.runners.support.ReferencePorting;

/**
 * The TCK porting for WildFly and the reference implementation. The outbox is on WildFly's stock H2 datasource
 * {@code ExampleDS} (in memory) or on the PostgreSQL datasource {@code configure.cli} adds.
 */
public class WildFlyPorting extends ReferencePorting {

    /** Creates the porting; ServiceLoader calls it. */
    public WildFlyPorting() {
        super("java:jboss/datasources/ExampleDS", "java:jboss/datasources/tck-postgresql", "streaming_tck_wildfly");
    }
}
