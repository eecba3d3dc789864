package studio.lerian.streaming.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.Health;
import studio.lerian.streaming.internal.Batches;

/**
 * An {@link Emitter} for unit tests: records every request it is given, in order, so a test can assert what its code
 * emitted. Thread-safe. Performs <strong>no validation</strong> (unknown keys and invalid JSON are recorded as they
 * are); use the TCK or a real emitter to test the rules.
 *
 * <pre>{@code
 * MockEmitter mock = new MockEmitter();
 * new OrderService(mock).place(order);
 * StreamingAssertions.assertEventEmitted(mock, "order.placed");
 * }</pre>
 */
public class MockEmitter implements Emitter {

    private final Object lock = new Object();
    private final List<EmitRequest> requests = new ArrayList<>();
    private final List<List<EmitRequest>> batches = new ArrayList<>();
    private RuntimeException error;
    private boolean closed;

    /** Creates an empty mock with no injected error. */
    public MockEmitter() {
        // empty
    }

    /**
     * Records the request, unless an error was injected with {@link #setError(RuntimeException)}: then throws it and
     * records nothing. Still records after {@link #close()}. Requests are immutable, so recording keeps their exact
     * values.
     *
     * @param request the request; must not be {@code null}
     */
    @Override
    public void emit(EmitRequest request) {
        Objects.requireNonNull(request, "request");
        RuntimeException injected;
        synchronized (lock) {
            injected = error;
            if (injected == null) {
                requests.add(request);
            }
        }
        if (injected != null) {
            throw injected;
        }
    }

    /**
     * Records the batch's requests, in order and all at once (no other thread's request lands between them), and
     * the batch itself for {@link #batches()}; unless an error was injected with {@link #setError(RuntimeException)}:
     * then throws it and records nothing. An empty batch records nothing. Like {@link #emit}, performs no validation.
     *
     * @param requests the requests; must not be {@code null} nor hold {@code null}
     */
    @Override
    public void emitAll(Collection<EmitRequest> requests) {
        List<EmitRequest> batch = Batches.copyOf(requests);
        RuntimeException injected;
        synchronized (lock) {
            injected = error;
            if (injected == null && !batch.isEmpty()) {
                this.requests.addAll(batch);
                batches.add(batch);
            }
        }
        if (injected != null) {
            throw injected;
        }
    }

    /** @return {@link Health#healthy()}, always */
    @Override
    public Health health() {
        return Health.healthy();
    }

    /** Marks the mock closed; idempotent. Recording goes on. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /**
     * @return a snapshot of the recorded requests, in emission order, those of {@link #emitAll} batches included;
     *         unmodifiable
     */
    public List<EmitRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** @return a snapshot of the recorded {@link #emitAll} batches, in call order, each in its order; unmodifiable */
    public List<List<EmitRequest>> batches() {
        synchronized (lock) {
            return List.copyOf(batches);
        }
    }

    /**
     * Makes every later {@link #emit(EmitRequest)} and {@link #emitAll} throw the given exception (without recording).
     *
     * @param error the exception to throw; {@code null} restores normal recording
     */
    public void setError(RuntimeException error) {
        synchronized (lock) {
            this.error = error;
        }
    }

    /** Forgets the recorded requests and batches and the injected error; the closed flag stays. */
    public void reset() {
        synchronized (lock) {
            requests.clear();
            batches.clear();
            error = null;
        }
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }
}
