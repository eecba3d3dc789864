package studio.lerian.streaming.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.core.StreamingEngine;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;
import studio.lerian.streaming.outbox.jpa.JpaOutboxWriter;
import studio.lerian.streaming.outbox.jpa.OutboxTransactions;

/**
 * Makes {@code @Inject Emitter} work on Quarkus (the engine is an {@code Emitter}, so this one producer serves
 * {@code @Inject Emitter} and {@code @Inject StreamingEngine}): the engine built once from Quarkus's configuration
 * ({@code streaming.*} in {@code application.properties}, or {@code STREAMING_*} variables), guarded by
 * {@link FaultToleranceBreaker}, with the outbox in Quarkus's persistence unit, and closed (flushed) when the
 * application stops. Quarkus binds no {@code java:comp} names: the outbox gets Narayana's registry and user
 * transaction from here, to join the caller's {@code @Transactional} transaction and to run the relay's own.
 */
@ApplicationScoped
public class StreamingProducer {

    @Produces
    @ApplicationScoped
    StreamingEngine engine(Config config, FaultToleranceBreaker breaker, EntityManagerFactory unit,
            TransactionSynchronizationRegistry registry, UserTransaction userTransaction) {
        OutboxTransactions transactions = OutboxTransactions.of(registry, userTransaction);
        return StreamingEngine.builder()
                .settings(property -> config.getOptionalValue(property, String.class).orElse(null),
                        config.getPropertyNames())
                .catalog(Catalog.of(List.of(PaymentEvents.CAPTURED, PaymentEvents.REFUNDED)))
                .breaker(breaker)
                .outbox(new JpaOutboxWriter(unit, transactions), new JpaOutboxStore(unit, transactions))
                .build();
    }

    void close(@Disposes StreamingEngine engine) {
        engine.close();
    }
}
