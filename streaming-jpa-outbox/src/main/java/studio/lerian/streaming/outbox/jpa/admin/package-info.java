/**
 * Operating the outbox table: {@link studio.lerian.streaming.outbox.jpa.admin.OutboxAdmin} counts rows, lists the
 * {@code FAILED} and {@code INVALID} ones, requeues them without breaking a key's order, and purges finished rows, each
 * operation audited in the log; {@link studio.lerian.streaming.outbox.jpa.admin.OutboxAdminResource} serves it over
 * Jakarta REST once an application subclasses it. See {@code docs/outbox-operations.md}.
 */
package studio.lerian.streaming.outbox.jpa.admin;
