/**
 * The TCK's tests of the transactional outbox, tagged {@code outbox}: the fallback joined to the caller's JTA
 * transaction, the outbox policies, the relay after an outage, strict order while it drains, and a row the broker
 * refuses for good not stopping other tenants' rows. They read the table through the porting's
 * {@link studio.lerian.streaming.tck.spi.TckOutbox}; an implementation without an outbox excludes the tag.
 */
package studio.lerian.streaming.tck.outbox;
