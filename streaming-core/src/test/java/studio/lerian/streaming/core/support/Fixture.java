package studio.lerian.streaming.core.support;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;

/** The golden-vector fixture (spec section 15): its source, definitions and a ready configuration. */
public final class Fixture {

    /** The fixture's CloudEvents source. */
    public static final String SOURCE = "//lerian.midaz/transaction-service";

    /** {@code transaction.created}: resource transaction, event created, defaults otherwise. */
    public static final EventDefinition TRANSACTION_CREATED = EventDefinition.builder("transaction.created")
            .resourceType("transaction").eventType("created").build();

    /** {@code platform.reaper_pass}: a system event with schema 2.1.0 and a data schema. */
    public static final EventDefinition REAPER_PASS = EventDefinition.builder("platform.reaper_pass")
            .resourceType("platform").eventType("reaper_pass").schemaVersion("2.1.0")
            .dataSchema("https://schemas.lerian.test/platform/reaper_pass.json").systemEvent(true).build();

    private Fixture() {
    }

    /**
     * A configuration that enables streaming against a broker, with short timeouts for tests.
     *
     * @param bootstrap the broker address
     * @return mutable {@code streaming.*} properties
     */
    public static Map<String, String> config(String bootstrap) {
        Map<String, String> p = new HashMap<>();
        p.put("streaming.enabled", "true");
        p.put("streaming.brokers", bootstrap);
        p.put("streaming.cloudevents.source", SOURCE);
        p.put("streaming.allow.system.events", "true");
        p.put("streaming.record.delivery.timeout.s", "3");
        p.put("streaming.close.timeout.s", "3");
        p.put("streaming.batch.linger.ms", "1");
        return p;
    }

    /** A CDI catalog provider of the fixture's definitions. */
    public static class Definitions implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(TRANSACTION_CREATED, REAPER_PASS);
        }
    }
}
