package studio.lerian.streaming.outbox.jpa.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;

/**
 * The load of the chaos tests: {@code callers} threads across {@code tenants} tenants emit {@code transaction.created}
 * steadily, about {@code rate} events a second in total, until {@link #stop()}. Each tenant belongs to one caller
 * thread, so each tenant's emit order is well defined; the event id ({@code <tenant>-<seq>}) and the payload
 * ({@code {"seq":n}}) carry the tenant's sequence number.
 *
 * <p>It records which emits returned without error (acknowledged, per tenant, in order), which failed and how, and the
 * longest emit. A test may {@link #mark(String) mark} phases (e.g. "one broker down"); each failure remembers the
 * phases its emit started and ended in, so a test can say in which phases no caller may see an error. It can
 * {@link #pause()} and {@link #resume()} the callers, e.g. to let the relay drain a backlog that a strictly ordered
 * relay on a busy machine would not outpace.
 */
final class CallerLoad {

    /** An emit that threw: its error class (or {@code UNTYPED ...}), and the phases it started and ended in. */
    record Failure(String kind, int firstPhase, int lastPhase) {
    }

    private final Emitter emitter;
    private final int callers;
    private final int tenants;
    private final int rate;
    private final Map<String, List<Integer>> acked = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final List<String> phases = new CopyOnWriteArrayList<>(List.of("start"));
    private final AtomicLong longest = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Future<?>> done = new ArrayList<>();
    /** Each emit holds the read lock; {@link #pause()} takes the write lock, so it waits for emits in flight. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private ExecutorService pool;
    private volatile int phase;
    private SlowEmitWatch watch;

    CallerLoad(Emitter emitter, int callers, int tenants, int rate) {
        this.emitter = emitter;
        this.callers = callers;
        this.tenants = tenants;
        this.rate = rate;
        for (int t = 0; t < tenants; t++) {
            acked.put("tenant-" + t, new ArrayList<>());
        }
    }

    /**
     * Samples the stack of every emit that runs longer than {@code bound} (see {@link SlowEmitWatch}); call before
     * {@link #start()}.
     *
     * @param bound the longest an emit should take
     * @return this load
     */
    CallerLoad watchEmitsSlowerThan(Duration bound) {
        watch = new SlowEmitWatch(bound);
        return this;
    }

    /** @return where emits past the watched bound were waiting; empty without {@link #watchEmitsSlowerThan} */
    String slowEmits() {
        return watch == null ? "" : watch.report();
    }

    /** Starts the caller threads. @return this load */
    CallerLoad start() {
        running.set(true);
        pool = Executors.newFixedThreadPool(callers);
        long pace = TimeUnit.SECONDS.toNanos(1) * callers / rate;
        for (int c = 0; c < callers; c++) {
            List<String> mine = new ArrayList<>();
            for (int t = c; t < tenants; t += callers) {
                mine.add("tenant-" + t);
            }
            done.add(pool.submit(() -> {
                call(mine, pace);
                return null;
            }));
        }
        return this;
    }

    private void call(List<String> mine, long pace) {
        int[] seq = new int[mine.size()];
        long nextSlot = System.nanoTime();
        for (int i = 0; running.get(); i = (i + 1) % mine.size()) {
            // A steady caller: one emit per slot, no catching up in bursts (a rate, not a wait for a state).
            nextSlot = Math.max(nextSlot + pace, System.nanoTime());
            LockSupport.parkNanos(nextSlot - System.nanoTime());
            String tenant = mine.get(i);
            int s = seq[i]++;
            gate.readLock().lock();
            int startedIn = phase;
            long started = System.nanoTime();
            attempts.incrementAndGet();
            if (watch != null) {
                watch.started(started);
            }
            try {
                emitter.emit(EmitRequest.builder("transaction.created").tenantId(tenant)
                        .eventId(tenant + "-" + s).payload("{\"seq\":" + s + "}").build());
                acked.get(tenant).add(s);
            } catch (StreamingException notAcknowledged) {
                // the caller saw the failure; such an event is not owed
                failures.add(new Failure(StreamingErrors.emitException(notAcknowledged)
                        .map(x -> x.errorClass().wire()).orElse(notAcknowledged.code().name()), startedIn, phase));
            } catch (RuntimeException untyped) {
                // not part of the contract: the caller must only ever see a StreamingException
                failures.add(new Failure("UNTYPED " + untyped, startedIn, phase));
            } finally {
                if (watch != null) {
                    watch.ended();
                }
                longest.accumulateAndGet(System.nanoTime() - started, Math::max);
                gate.readLock().unlock();
            }
        }
    }

    /**
     * Begins a new phase: emits started from now on belong to it.
     *
     * @param name what is going on, e.g. {@code "two down"}
     */
    void mark(String name) {
        phases.add(name);
        phase = phases.size() - 1;
    }

    /** Holds the callers before their next emit; returns once the emits in flight have returned. */
    void pause() {
        gate.writeLock().lock();
    }

    /** Lets paused callers go on, from the thread that paused them; they do not catch up on the emits they missed. */
    void resume() {
        gate.writeLock().unlock();
    }

    /** Stops the callers and waits for their last emits to return. */
    void stop() throws Exception {
        running.set(false);
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        if (watch != null) {
            watch.close();
        }
    }

    /** @return per tenant, the sequence numbers of its acknowledged emits in the order they were emitted */
    Map<String, List<Integer>> acked() {
        return acked;
    }

    /** @return how many emits returned without error */
    int acknowledged() {
        return acked.values().stream().mapToInt(List::size).sum();
    }

    /** @return how many emits were tried */
    long attempts() {
        return attempts.get();
    }

    /** @return the longest an emit took, in nanoseconds */
    long longestNanos() {
        return longest.get();
    }

    /** @return how many emits failed, by error class */
    Map<String, Integer> failureCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        failures.forEach(f -> counts.merge(f.kind(), 1, Integer::sum));
        return counts;
    }

    /** @return whether an emit threw something other than a {@code StreamingException} */
    boolean threwUntyped() {
        return failures.stream().anyMatch(f -> f.kind().startsWith("UNTYPED"));
    }

    /**
     * @param excused the phases in which a caller may see an error
     * @return the failures whose emit lasted only through phases not {@code excused}
     */
    List<Failure> failuresOutside(Predicate<String> excused) {
        List<Failure> out = new ArrayList<>();
        for (Failure f : failures) {
            boolean anyExcused = false;
            for (int p = f.firstPhase(); p <= f.lastPhase(); p++) {
                anyExcused |= excused.test(phases.get(p));
            }
            if (!anyExcused) {
                out.add(f);
            }
        }
        return out;
    }
}
