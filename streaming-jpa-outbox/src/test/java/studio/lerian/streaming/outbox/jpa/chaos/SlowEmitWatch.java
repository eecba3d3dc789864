package studio.lerian.streaming.outbox.jpa.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Says where emits past a bound were waiting: a watcher samples, every quarter of a second, the stack of each caller
 * thread whose current emit has run longer than the bound, so that a chaos run that breaks the bound reports the
 * step it broke it in (the strict-ordering lookup in the outbox, the wait for the broker, an outbox write...) instead
 * of a bare duration. At most {@link #MAX_SAMPLES} samples are kept.
 */
final class SlowEmitWatch implements AutoCloseable {

    static final int MAX_SAMPLES = 200;

    private record Emit(long startedNanos, int sampled) {
    }

    private final long boundNanos;
    private final Map<Thread, Emit> running = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
    private final ScheduledFuture<?> sampling;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "slow-emit-watch");
        t.setDaemon(true);
        return t;
    });

    /** @param bound how long an emit may take before its stack is sampled */
    SlowEmitWatch(Duration bound) {
        this.boundNanos = bound.toNanos();
        this.sampling = watcher.scheduleAtFixedRate(this::sample, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** The calling thread starts an emit. */
    void started(long startedNanos) {
        running.put(Thread.currentThread(), new Emit(startedNanos, 0));
    }

    /** The calling thread's emit returned. */
    void ended() {
        running.remove(Thread.currentThread());
    }

    /** @return the stacks sampled so far, one text per sample, oldest first */
    String report() {
        return samples.isEmpty() ? "no emit ran past the bound" : String.join(System.lineSeparator(), samples);
    }

    private void sample() {
        long now = System.nanoTime();
        running.forEach((thread, emit) -> {
            long took = now - emit.startedNanos();
            // Three samples per emit at most: enough to see which steps it went through.
            if (took > boundNanos && emit.sampled() < 3 && samples.size() < MAX_SAMPLES
                    && running.replace(thread, emit, new Emit(emit.startedNanos(), emit.sampled() + 1))) {
                StringBuilder text = new StringBuilder("emit running for ")
                        .append(TimeUnit.NANOSECONDS.toMillis(took)).append(" ms in ").append(thread.getName());
                for (StackTraceElement frame : thread.getStackTrace()) {
                    text.append(System.lineSeparator()).append("    at ").append(frame);
                }
                samples.add(text.toString());
            }
        });
    }

    @Override
    public void close() {
        sampling.cancel(false);
        watcher.shutdownNow();
    }
}
