package studio.lerian.streaming.json;

import studio.lerian.streaming.spi.PayloadSerializer;

/**
 * A serializer over one {@link JsonEngine}, made at the first use and kept. The engine is typed with this module's own
 * interface, so that a serializer class loads, and reports itself unavailable, when its JSON library is absent: the
 * engine's class, which names the library, is loaded only when {@link #createEngine()} runs.
 */
abstract class EngineSerializer implements PayloadSerializer {

    private volatile JsonEngine engine;

    /**
     * @return a new engine
     * @throws RuntimeException or {@link LinkageError} when the library is absent or cannot make one
     */
    abstract JsonEngine createEngine();

    @Override
    public final boolean isAvailable() {
        try {
            engine();
            return true;
        } catch (RuntimeException | LinkageError absent) {
            // The library is not on the class path (NoClassDefFoundError), or it is and cannot work (for JSON-B, an
            // API without a provider: JsonbException).
            return false;
        }
    }

    @Override
    public final byte[] toJson(Object value) {
        return engine().toJson(value);
    }

    @Override
    public final <T> T fromJson(byte[] json, Class<T> type) {
        return engine().fromJson(json, type);
    }

    private JsonEngine engine() {
        JsonEngine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    e = createEngine();
                    engine = e;
                }
            }
        }
        return e;
    }
}
