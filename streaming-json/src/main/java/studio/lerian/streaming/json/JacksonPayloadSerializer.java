package studio.lerian.streaming.json;

import studio.lerian.streaming.spi.PayloadSerializer;

/**
 * Typed payloads written and read with Jackson, for runtimes without JSON-B. Priority {@value #PRIORITY}, below
 * {@link JsonbPayloadSerializer}. Available when {@code jackson-databind} is on the class path. One
 * {@code ObjectMapper} per instance, made at the first use, with every Jackson module the class path registers
 * ({@code jackson-datatype-jsr310} gives {@code java.time}), dates written as ISO-8601 text rather than numbers,
 * offsets kept when reading, and unknown properties ignored when reading (as JSON-B does).
 */
public final class JacksonPayloadSerializer implements PayloadSerializer {

    /** This serializer's priority: {@value}. */
    public static final int PRIORITY = 100;

    /** Typed with this module's own class so that this class loads, and reports unavailable, without Jackson. */
    private volatile JacksonEngine engine;

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
    public boolean isAvailable() {
        try {
            engine();
            return true;
        } catch (RuntimeException | LinkageError absent) {
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

    private JacksonEngine engine() {
        JacksonEngine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    e = new JacksonEngine();
                    engine = e;
                }
            }
        }
        return e;
    }
}
