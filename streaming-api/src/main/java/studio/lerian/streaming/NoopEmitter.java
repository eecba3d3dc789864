package studio.lerian.streaming;

import java.util.Collection;
import java.util.Objects;
import studio.lerian.streaming.internal.Batches;

/**
 * An emitter that does nothing: used when streaming is disabled ({@code STREAMING_ENABLED=false}) or no broker is
 * configured. Performs no validation, always reports healthy. Thread-safe and stateless.
 */
public final class NoopEmitter implements Emitter {

    private static final NoopEmitter INSTANCE = new NoopEmitter();

    private NoopEmitter() {
    }

    /** @return the shared instance */
    public static NoopEmitter instance() {
        return INSTANCE;
    }

    /**
     * Discards the request.
     *
     * @param request the request; must not be {@code null}
     */
    @Override
    public void emit(EmitRequest request) {
        Objects.requireNonNull(request, "request");
    }

    /**
     * Discards the requests.
     *
     * @param requests the requests; must not be {@code null} nor hold {@code null}
     */
    @Override
    public void emitAll(Collection<EmitRequest> requests) {
        Batches.copyOf(requests);
    }

    /** @return {@link Health#healthy()} */
    @Override
    public Health health() {
        return Health.healthy();
    }

    /** Does nothing. */
    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String toString() {
        return "NoopEmitter";
    }
}
