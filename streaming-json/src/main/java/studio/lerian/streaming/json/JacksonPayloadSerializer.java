package studio.lerian.streaming.json;

/**
 * Typed payloads written and read with Jackson, for runtimes without JSON-B. Priority {@value #PRIORITY}, below
 * {@link JsonbPayloadSerializer}. Available when {@code jackson-databind} is on the class path. One
 * {@code ObjectMapper} per instance, made at the first use, with every Jackson module the class path registers
 * ({@code jackson-datatype-jsr310} gives {@code java.time}), dates written as ISO-8601 text rather than numbers,
 * offsets kept when reading, and unknown properties ignored when reading (as JSON-B does).
 */
public final class JacksonPayloadSerializer extends EngineSerializer {

    /** This serializer's priority: {@value}. */
    public static final int PRIORITY = 100;

    /** For {@link java.util.ServiceLoader}. */
    public JacksonPayloadSerializer() {
    }

    @Override
    public String name() {
        return "jackson";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    JsonEngine createEngine() {
        return new JacksonEngine();
    }
}
