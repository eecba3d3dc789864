package studio.lerian.streaming.spi;

import java.util.Collection;
import studio.lerian.streaming.EventDefinition;

/**
 * Contributes event definitions to the catalog. Applications and libraries implement it; implementations of
 * {@code streaming-api} discover providers as CDI beans and through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/studio.lerian.streaming.spi.CatalogProvider}), and merge their definitions into one
 * catalog at start-up. Duplicate keys across providers fail the deployment.
 */
@FunctionalInterface
public interface CatalogProvider {

    /**
     * The definitions this provider contributes. Called once, at start-up.
     *
     * @return the definitions; never {@code null}
     */
    Collection<EventDefinition> definitions();
}
