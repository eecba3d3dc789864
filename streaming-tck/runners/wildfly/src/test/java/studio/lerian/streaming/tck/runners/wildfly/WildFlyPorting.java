package studio.lerian.streaming.tck.runners.wildfly;

import studio.lerian.streaming.tck.runners.support.ReferencePorting;

/** The TCK porting for WildFly and streaming-cdi: the reference porting, nothing WildFly-specific yet. */
public class WildFlyPorting extends ReferencePorting {
}
