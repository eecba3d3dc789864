package studio.lerian.streaming.json;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

/** The JSON-B side of {@link JsonbPayloadSerializer}; loaded only once JSON-B is known to be wanted. */
final class JsonbEngine implements JsonEngine {

    private final Jsonb jsonb;

    /** Creates a {@code Jsonb} from the provider the context class loader finds. */
    JsonbEngine() {
        this.jsonb = JsonbBuilder.create();
    }

    @Override
    public byte[] toJson(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        jsonb.toJson(value, out);
        return out.toByteArray();
    }

    @Override
    public <T> T fromJson(byte[] json, Class<T> type) {
        return jsonb.fromJson(new ByteArrayInputStream(json), type);
    }
}
