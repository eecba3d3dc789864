package studio.lerian.streaming.examples.quickstart;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The demo's defaults, as the lowest-priority MicroProfile Config source: any {@code STREAMING_*} environment variable
 * or {@code streaming.*} system property you set wins over them.
 */
public class DemoConfigSource implements ConfigSource {

    static final Map<String, String> VALUES = new ConcurrentHashMap<>();

    static {
        VALUES.put("streaming.enabled", "true");
        VALUES.put("streaming.cloudevents.source", "//lerian.demo/quickstart");
        VALUES.put("streaming.record.delivery.timeout.s", "2");
        VALUES.put("streaming.cb.min.requests", "4");
        VALUES.put("streaming.cb.timeout.s", "3");
        VALUES.put("streaming.close.timeout.s", "5");
        VALUES.put("streaming.outbox.poll.interval.ms", "200");
    }

    @Override
    public Set<String> getPropertyNames() {
        return VALUES.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return VALUES.get(propertyName);
    }

    @Override
    public String getName() {
        return "lib-streaming quickstart defaults";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
