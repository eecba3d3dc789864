package studio.lerian.streaming.json;

import studio.lerian.streaming.spi.PayloadSerializer;

/**
 * Typed payloads written and read with Jakarta JSON Binding (JSON-B), the runtime's own JSON mapper on every Jakarta
 * EE and MicroProfile server. Priority {@value #PRIORITY}, above {@link JacksonPayloadSerializer}, so that a payload
 * reads the same as the application's REST resources do. Available when a JSON-B provider can be created on the
 * calling thread's context class loader. One {@code Jsonb} per instance, with JSON-B's default settings, made at the
 * first use (JSON-B instances are thread-safe); the library keeps one instance per application class loader.
 */
public final class JsonbPayloadSerializer implements PayloadSerializer {

    /** This serializer's priority: {@value}. */
    public static final int PRIORITY = 200;

    /** Typed with this module's own class so that this class loads, and reports unavailable, without JSON-B. */
    private volatile JsonbEngine engine;

    /** For {@link java.util.ServiceLoader}. */
    public JsonbPayloadSerializer() {
    }

    @Override
    public String name() {
        return "jsonb";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean isAvailable() {
        try {
            engine();
            return true;
        } catch (RuntimeException | LinkageError absent) {
            // No JSON-B API on the class path (NoClassDefFoundError), or an API without provider (JsonbException).
            return false;
        }
    }

    @Override
    public byte[] toJson(Object value) {
        return engine().toJson(value);
    }

    @Override
    public <T> T fromJson(byte[] json, Class<T> type) {
        return engine().fromJson(json, type);
    }

    private JsonbEngine engine() {
        JsonbEngine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    e = new JsonbEngine();
                    engine = e;
                }
            }
        }
        return e;
    }
}
