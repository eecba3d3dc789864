/**
 * The JPA transactional outbox: events parked in the application's own database when the broker is down (or when the
 * policy says {@code outbox=always}), committed or rolled back with the business data, relayed later.
 *
 * <p>For applications that add the outbox module to their deployment. Three steps:
 * <ol>
 *   <li>create the tables with the shipped Flyway migrations ({@code META-INF/lerian-streaming/flyway/postgresql} or
 *       {@code .../h2}, with a history table of their own), the Liquibase changelog
 *       ({@code META-INF/lerian-streaming/liquibase/changelog.xml}) or the DDL
 *       ({@code META-INF/lerian-streaming/schema-postgresql.sql} or {@code schema-h2.sql}); docs/outbox.md says how;</li>
 *   <li>list {@code META-INF/lerian-streaming-orm.xml} as a {@code <mapping-file>} of the persistence unit that holds
 *       the table;</li>
 *   <li>produce that unit's factory with the {@link studio.lerian.streaming.outbox.jpa.StreamingOutbox} qualifier.
 *       The {@link studio.lerian.streaming.outbox.jpa.StreamingOutboxExtension} then registers an
 *       {@link studio.lerian.streaming.spi.OutboxWriter} and an {@link studio.lerian.streaming.spi.OutboxStore}; a
 *       deployment without that producer fails, naming it.</li>
 * </ol>
 *
 * <p>A container-managed JTA unit (Open Liberty, Payara, WildFly): the row joins the caller's JTA transaction.
 * <pre>{@code
 * @ApplicationScoped
 * public class OutboxUnit {
 *     @Produces @StreamingOutbox
 *     @PersistenceUnit(unitName = "orders")
 *     EntityManagerFactory orders;
 * }
 * }</pre>
 *
 * <p>Java SE with a {@code RESOURCE_LOCAL} unit: also produce the entity manager of the current unit of work, so the
 * row joins the caller's {@code EntityTransaction}. Without it (or outside a unit of work, where it gives
 * {@code null}) the writer commits the row in a transaction of its own.
 * <pre>{@code
 * @ApplicationScoped
 * public class OutboxUnit {
 *     static final ThreadLocal<EntityManager> CURRENT = new ThreadLocal<>(); // set by your unit-of-work code
 *     final EntityManagerFactory orders = Persistence.createEntityManagerFactory("orders");
 *
 *     @Produces @StreamingOutbox EntityManagerFactory orders() { return orders; }
 *     @Produces @StreamingOutbox EntityManager current() { return CURRENT.get(); } // dependent, no disposer
 *     @PreDestroy void close() { orders.close(); }
 * }
 * }</pre>
 * The entity manager producer must not have a disposer that closes the application's entity manager; a normal-scoped
 * producer (for example {@code @RequestScoped}) also works, and counts as absent where its scope is not active.
 *
 * <p>Without CDI, build {@link studio.lerian.streaming.outbox.jpa.JpaOutboxWriter} and
 * {@link studio.lerian.streaming.outbox.jpa.JpaOutboxStore} over the factory yourself. Only JPA 3.0 API is used at run
 * time, so JPA 3.0/3.1 containers work.
 */
package studio.lerian.streaming.outbox.jpa;
