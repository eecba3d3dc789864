package studio.lerian.streaming.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** What every {@code Emitter.emitAll} does first with its argument. */
public final class Batches {

    private Batches() {
    }

    /**
     * A snapshot of the batch in iteration order, so that a collection changed meanwhile cannot change what is
     * emitted, and so that a {@code null} element is named by its position.
     *
     * @param requests the batch
     * @param <T> the element type
     * @return an unmodifiable copy
     * @throws NullPointerException when {@code requests} is or holds {@code null}, e.g. {@code requests[3] is null}
     */
    public static <T> List<T> copyOf(Collection<T> requests) {
        Objects.requireNonNull(requests, "requests");
        List<T> copy = new ArrayList<>(requests.size());
        for (T r : requests) {
            if (r == null) {
                throw new NullPointerException("requests[" + copy.size() + "] is null");
            }
            copy.add(r);
        }
        return Collections.unmodifiableList(copy);
    }
}
