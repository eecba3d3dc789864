package studio.lerian.streaming.benchmarks.load;

import java.util.Collection;
import java.util.List;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.benchmarks.Fixtures;
import studio.lerian.streaming.spi.CatalogProvider;

/** The load harness's catalog, a CDI bean as an application would declare it: {@code payment.captured}. */
public class BenchCatalog implements CatalogProvider {

    @Override
    public Collection<EventDefinition> definitions() {
        return List.of(Fixtures.definition());
    }
}
