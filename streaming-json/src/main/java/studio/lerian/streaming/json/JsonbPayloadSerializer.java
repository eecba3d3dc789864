package studio.lerian.streaming.json;

/**
 * Typed payloads written and read with Jakarta JSON Binding (JSON-B), the runtime's own JSON mapper on every Jakarta
 * EE and MicroProfile server. Priority {@value #PRIORITY}, above {@link JacksonPayloadSerializer}, so that a payload
 * reads the same as the application's REST resources do. Available when a JSON-B provider can be created on the
 * calling thread's context class loader. One {@code Jsonb} per instance, with JSON-B's default settings, made at the
 * first use (JSON-B instances are thread-safe); the library keeps one instance per application class loader.
 */
public final class JsonbPayloadSerializer extends EngineSerializer {

    /** This serializer's priority: {@value}. */
    public static final int PRIORITY = 200;

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
    JsonEngine createEngine() {
        return new JsonbEngine();
    }
}
