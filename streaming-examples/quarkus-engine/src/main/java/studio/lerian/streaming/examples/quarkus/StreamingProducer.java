package studio.lerian.streaming.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.core.StreamingEngine;

/**
 * Makes {@code @Inject Emitter} work on Quarkus (the engine is an {@code Emitter}, so this one producer serves
 * {@code @Inject Emitter} and {@code @Inject StreamingEngine}): the engine built once from Quarkus's configuration
 * ({@code streaming.*} in {@code application.properties}, or {@code STREAMING_*} variables), guarded by
 * {@link FaultToleranceBreaker}, and closed (flushed) when the application stops.
 */
@ApplicationScoped
public class StreamingProducer {

    @Produces
    @ApplicationScoped
    StreamingEngine engine(Config config, FaultToleranceBreaker breaker) {
        return StreamingEngine.builder()
                .settings(property -> config.getOptionalValue(property, String.class).orElse(null),
                        config.getPropertyNames())
                .catalog(Catalog.of(List.of(PaymentEvents.CAPTURED)))
                .breaker(breaker)
                .build();
    }

    void close(@Disposes StreamingEngine engine) {
        engine.close();
    }
}
