/**
 * The TCK's tests of the transactional outbox, tagged {@code outbox}: the fallback joined to the caller's JTA
 * transaction, the outbox policies, and the relay after an outage. They read the table through the porting's
 * {@link studio.lerian.streaming.tck.spi.TckOutbox}; an implementation without an outbox excludes the tag.
 */
package studio.lerian.streaming.tck.outbox;
