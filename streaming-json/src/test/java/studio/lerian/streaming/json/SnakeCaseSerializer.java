package studio.lerian.streaming.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import studio.lerian.streaming.spi.PayloadSerializer;

/**
 * An application's own serializer, as the docs suggest writing one: its configured {@code ObjectMapper} (here, snake
 * case names), registered with a priority above JSON-B's. Registered only in {@code custom-serializer/}, which the
 * tests put on a class loader of their own.
 */
public final class SnakeCaseSerializer implements PayloadSerializer {

    private final ObjectMapper mapper = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @Override
    public String name() {
        return "snake-case";
    }

    @Override
    public int priority() {
        return JsonbPayloadSerializer.PRIORITY + 100;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public byte[] toJson(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> T fromJson(byte[] json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
