package studio.lerian.streaming.internal;

import java.lang.System.Logger.Level;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.WeakHashMap;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.spi.PayloadSerializer;

/**
 * Finds the {@link PayloadSerializer} for the calling thread and runs it, turning its failures into the library's
 * errors. The choice is remembered per context class loader.
 *
 * <p>Why the cache is written here, with weak keys and soft values: one application server runs many applications,
 * each with its own class loader, and the API may sit in a loader they share. A cached serializer (or the JSON engine
 * it holds) is often defined by the application's loader, so a plain map from loader to serializer would keep every
 * undeployed application's classes alive, and a weak-keyed map alone would too (its value references its key). The
 * JDK's {@code ResourceBundle} cache faces the same problem and answers it the same way: the loader is held weakly and
 * the value softly, so an undeployed application's serializer is freed once it goes unused, and a live one found again
 * if memory pressure ever cleared it. Written here because the API has no dependencies and the JDK has no such map.
 */
public final class PayloadSerializers {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    /** The detail of {@link ErrorCode#NO_PAYLOAD_SERIALIZER}: what to add. */
    static final String ADD_A_SERIALIZER = "add studio.lerian.streaming:streaming-json (it comes with streaming-cdi) "
            + "and a JSON-B implementation or jackson-databind to the class path, register a "
            + PayloadSerializer.class.getName() + ", or pass the payload as JSON bytes or text";

    /** How many broken registrations one lookup skips before it stops looking (the iterator might repeat one). */
    private static final int MAX_REGISTRATION_ERRORS = 32;

    /** Marks "looked, found none" in the cache. */
    private static final Choice NONE = new Choice(null);

    private static final Map<ClassLoader, SoftReference<Choice>> CHOSEN = new WeakHashMap<>();

    private PayloadSerializers() {
    }

    /** A lookup's outcome; {@code serializer} is {@code null} when none is available. */
    private record Choice(PayloadSerializer serializer) {
    }

    /**
     * Writes a value with the calling thread's serializer.
     *
     * @param value the value; not {@code null}, not a {@code byte[]} or {@code String}
     * @return its JSON bytes
     * @throws StreamingException {@link ErrorCode#NO_PAYLOAD_SERIALIZER} or {@link ErrorCode#PAYLOAD_NOT_SERIALIZABLE}
     *         (whose message names the value's class, never its content)
     */
    public static byte[] toJson(Object value) {
        PayloadSerializer serializer = require();
        byte[] json;
        try {
            json = serializer.toJson(value);
        } catch (RuntimeException | LinkageError e) {
            throw new StreamingException(ErrorCode.PAYLOAD_NOT_SERIALIZABLE,
                    value.getClass().getName() + " (serializer " + serializer.name() + ")", e);
        }
        if (json == null) {
            throw new StreamingException(ErrorCode.PAYLOAD_NOT_SERIALIZABLE,
                    value.getClass().getName() + " (serializer " + serializer.name() + " wrote nothing)");
        }
        return json;
    }

    /**
     * Reads JSON as a type with the calling thread's serializer.
     *
     * @param json the JSON bytes; not {@code null}
     * @param type the type; not {@code null}
     * @param <T> the type
     * @return the value
     * @throws StreamingException {@link ErrorCode#NO_PAYLOAD_SERIALIZER} or {@link ErrorCode#PAYLOAD_NOT_READABLE}
     *         (whose message names the type, never the content)
     */
    public static <T> T fromJson(byte[] json, Class<T> type) {
        PayloadSerializer serializer = require();
        try {
            return serializer.fromJson(json, type);
        } catch (RuntimeException | LinkageError e) {
            throw new StreamingException(ErrorCode.PAYLOAD_NOT_READABLE,
                    type.getName() + " (serializer " + serializer.name() + ", " + json.length + " bytes)", e);
        }
    }

    /**
     * The serializer chosen for the calling thread's context class loader.
     *
     * @return the serializer
     * @throws StreamingException {@link ErrorCode#NO_PAYLOAD_SERIALIZER} when none is available
     */
    public static PayloadSerializer require() {
        PayloadSerializer serializer = chosen().serializer();
        if (serializer == null) {
            throw new StreamingException(ErrorCode.NO_PAYLOAD_SERIALIZER, ADD_A_SERIALIZER);
        }
        return serializer;
    }

    private static Choice chosen() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader key = context != null ? context : PayloadSerializers.class.getClassLoader();
        synchronized (CHOSEN) {
            SoftReference<Choice> ref = CHOSEN.get(key);
            Choice cached = ref == null ? null : ref.get();
            if (cached != null) {
                return cached;
            }
        }
        // Looked up outside the lock: isAvailable() may start a JSON provider. Two threads may both look; same answer.
        Choice found = choose(key);
        synchronized (CHOSEN) {
            CHOSEN.put(key, new SoftReference<>(found));
        }
        return found;
    }

    /** The available serializer of highest priority, the first found among equals; the context loader's come first. */
    private static Choice choose(ClassLoader context) {
        List<PayloadSerializer> candidates = new ArrayList<>();
        load(ServiceLoader.load(PayloadSerializer.class, context), candidates);
        ClassLoader own = PayloadSerializers.class.getClassLoader();
        if (own != context) {
            load(ServiceLoader.load(PayloadSerializer.class, own), candidates);
        }
        PayloadSerializer best = null;
        for (PayloadSerializer candidate : candidates) {
            if ((best == null || candidate.priority() > best.priority()) && available(candidate, context)) {
                best = candidate;
            }
        }
        if (best == null) {
            LOG.log(Level.DEBUG, () -> LogLine.of("streaming: no payload serializer available")
                    .field("candidates", candidates.size()).toString());
            return NONE;
        }
        PayloadSerializer chosen = best;
        LOG.log(Level.DEBUG, () -> LogLine.of("streaming: payload serializer chosen").field("name", chosen.name())
                .field("priority", chosen.priority()).field("class", chosen.getClass().getName()).toString());
        return new Choice(chosen);
    }

    private static void load(ServiceLoader<PayloadSerializer> loader, List<PayloadSerializer> into) {
        Iterator<PayloadSerializer> it = loader.iterator();
        int errors = 0;
        while (errors < MAX_REGISTRATION_ERRORS) {
            PayloadSerializer next;
            try {
                if (!it.hasNext()) {
                    return;
                }
                next = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // A broken registration (a listed class missing or failing to load) does not hide the others.
                LOG.log(Level.WARNING, () -> LogLine.of("streaming: payload serializer skipped")
                        .field("error", e.toString()).toString());
                errors++;
                continue;
            }
            if (into.stream().noneMatch(s -> s.getClass() == next.getClass())) {
                into.add(next);
            }
        }
    }

    /** Asks with the loader being served as the context loader, as {@link PayloadSerializer#isAvailable()} promises. */
    private static boolean available(PayloadSerializer candidate, ClassLoader context) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(context);
        try {
            return candidate.isAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, () -> LogLine.of("streaming: payload serializer unavailable")
                    .field("name", candidate.name()).field("error", e.toString()).toString());
            return false;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
