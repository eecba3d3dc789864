package studio.lerian.streaming.tck.core;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;

/** The golden-vector system event {@code platform.reaper_pass}: schema 2.1.0, a data schema, no tenant. */
@ApplicationScoped
public class SystemEventCatalog implements CatalogProvider {

    /** The definition key. */
    public static final String REAPER_PASS = "platform.reaper_pass";

    /** Its topic: major version 2 adds {@code .v2}. */
    public static final String REAPER_PASS_TOPIC = "lerian.streaming.platform.reaper_pass.v2";

    @Override
    public Collection<EventDefinition> definitions() {
        return List.of(EventDefinition.builder(REAPER_PASS).resourceType("platform").eventType("reaper_pass")
                .schemaVersion("2.1.0").dataSchema("https://schemas.lerian.test/platform/reaper_pass.json")
                .systemEvent(true).build());
    }
}
