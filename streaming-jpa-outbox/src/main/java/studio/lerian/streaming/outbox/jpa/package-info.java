/**
 * The JPA transactional outbox: events parked in the application's own database when the broker is down, relayed later.
 *
 * <p>For applications that add the outbox module to their deployment.
 */
package studio.lerian.streaming.outbox.jpa;
