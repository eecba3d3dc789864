package studio.lerian.streaming.tck.runners.payara;

import studio.lerian.streaming.tck.runners.support.ReferencePorting;

/** The TCK porting for Payara Micro and streaming-cdi: the reference porting, nothing Payara-specific yet. */
public class PayaraPorting extends ReferencePorting {
}
