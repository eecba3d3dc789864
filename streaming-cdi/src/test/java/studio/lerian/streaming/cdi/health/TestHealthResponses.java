package studio.lerian.streaming.cdi.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.spi.HealthCheckResponseProvider;

/**
 * The smallest MicroProfile Health response provider: what a Health runtime supplies, so that a check's
 * {@code HealthCheckResponse.named(...)} works in a test without the whole runtime.
 */
final class TestHealthResponses implements HealthCheckResponseProvider {

    static void install() {
        HealthCheckResponse.setResponseProvider(new TestHealthResponses());
    }

    @Override
    public HealthCheckResponseBuilder createResponseBuilder() {
        return new Builder();
    }

    private static final class Builder extends HealthCheckResponseBuilder {
        private final Map<String, Object> data = new LinkedHashMap<>();
        private String name;
        private HealthCheckResponse.Status status = HealthCheckResponse.Status.DOWN;

        @Override
        public HealthCheckResponseBuilder name(String n) {
            this.name = n;
            return this;
        }

        @Override
        public HealthCheckResponseBuilder withData(String key, String value) {
            data.put(key, value);
            return this;
        }

        @Override
        public HealthCheckResponseBuilder withData(String key, long value) {
            data.put(key, value);
            return this;
        }

        @Override
        public HealthCheckResponseBuilder withData(String key, boolean value) {
            data.put(key, value);
            return this;
        }

        @Override
        public HealthCheckResponseBuilder up() {
            return status(true);
        }

        @Override
        public HealthCheckResponseBuilder down() {
            return status(false);
        }

        @Override
        public HealthCheckResponseBuilder status(boolean up) {
            this.status = up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN;
            return this;
        }

        @Override
        public HealthCheckResponse build() {
            return new HealthCheckResponse(name, status, data.isEmpty() ? Optional.empty() : Optional.of(data));
        }
    }
}
