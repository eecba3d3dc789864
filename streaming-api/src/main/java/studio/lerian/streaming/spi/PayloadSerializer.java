package studio.lerian.streaming.spi;

/**
 * Writes typed payloads as JSON and reads them back, for
 * {@link studio.lerian.streaming.EmitRequest.Builder#payload(Object)} and
 * {@link studio.lerian.streaming.EmitRequest#payloadAs(Class)}.
 *
 * <p>Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/studio.lerian.streaming.spi.PayloadSerializer}), through the calling thread's context
 * class loader (in an application server, the application's own libraries) and the API's own class loader. Among the
 * serializers whose {@link #isAvailable()} answers {@code true}, the one with the highest {@link #priority()} is used;
 * the choice is made once per context class loader. The {@code streaming-json} module ships two: JSON-B (priority
 * {@code 200}) and Jackson (priority {@code 100}). An application that wants its own JSON settings (for example its
 * configured {@code ObjectMapper}) registers its own serializer with a priority above {@code 200}.
 *
 * <p>Implementations must be thread-safe, have a public no-argument constructor, and be instantiable even when the
 * JSON library they use is absent: they report that with {@link #isAvailable()}.
 */
public interface PayloadSerializer {

    /**
     * @return a short name for logs and errors, e.g. {@code jsonb}
     */
    String name();

    /**
     * @return this serializer's rank: among the available ones, the highest wins
     */
    int priority();

    /**
     * Whether this serializer can work on this class path: its JSON library is present and usable. Called once per
     * context class loader, with that loader set as the thread's context class loader.
     *
     * @return {@code true} when usable
     */
    boolean isAvailable();

    /**
     * Writes a value as JSON.
     *
     * @param value the value; never {@code null}, never a {@code byte[]} or a {@code String} (those are JSON already)
     * @return the JSON text, UTF-8 encoded
     * @throws RuntimeException when the value cannot be written; the library reports it as
     *         {@link studio.lerian.streaming.ErrorCode#PAYLOAD_NOT_SERIALIZABLE}
     */
    byte[] toJson(Object value);

    /**
     * Reads JSON as a value of a type.
     *
     * @param json UTF-8 JSON text; never {@code null}
     * @param type the type to read; never {@code null}
     * @param <T> the type
     * @return the value
     * @throws RuntimeException when the JSON cannot be read as that type; the library reports it as
     *         {@link studio.lerian.streaming.ErrorCode#PAYLOAD_NOT_READABLE}
     */
    <T> T fromJson(byte[] json, Class<T> type);
}
