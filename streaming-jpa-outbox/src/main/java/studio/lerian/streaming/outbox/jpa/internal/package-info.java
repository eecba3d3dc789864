/**
 * Implementation details of the JPA outbox: transaction plumbing and the CDI beans. Not an API; may change in any
 * release.
 */
package studio.lerian.streaming.outbox.jpa.internal;
