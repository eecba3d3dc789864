package studio.lerian.streaming.cdi.support;

import java.util.Collection;
import java.util.List;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;

/**
 * A catalog provider found through {@code META-INF/services}, as a library jar would ship one. It is on the class
 * path of every test in this module, so it contributes its definition only while the system property
 * {@value #SWITCH} is {@code true} (set it through the container's properties); otherwise it contributes nothing and
 * leaves every other test's catalog as that test declares it.
 */
public class ServiceLoadedCatalog implements CatalogProvider {

    /** The system property that turns this provider's definition on. */
    public static final String SWITCH = "lerian.test.serviceloaded";

    /** {@code test.serviceloaded}: resource test, event serviceloaded. */
    public static final EventDefinition DEFINITION = EventDefinition.builder("test.serviceloaded")
            .resourceType("test").eventType("serviceloaded").build();

    @Override
    public Collection<EventDefinition> definitions() {
        return Boolean.getBoolean(SWITCH) ? List.of(DEFINITION) : List.of();
    }
}
