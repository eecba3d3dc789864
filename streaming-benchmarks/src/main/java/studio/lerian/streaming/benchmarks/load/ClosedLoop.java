package studio.lerian.streaming.benchmarks.load;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load: {@code threads} callers each make one call after the other, for a warm-up that is not measured
 * and then a measured window. A call counts when it started and ended inside the window; its wall-clock latency goes
 * into an HdrHistogram (3 significant digits). A call that throws counts as an error and is not timed.
 */
final class ClosedLoop {

    private static final long MAX_LATENCY_NANOS = Duration.ofMinutes(2).toNanos();

    /** One call of a caller thread. */
    interface Call {
        /**
         * @param thread the caller's index
         * @param n how many calls this thread made before
         * @throws Exception when the call failed
         */
        void run(int thread, long n) throws Exception;
    }

    private ClosedLoop() {
    }

    /**
     * Runs the load and prints a one-line summary.
     *
     * @param scenario the table's scenario label
     * @param who the publisher
     * @param baseline whether this is the scenario's baseline
     * @param threads caller threads
     * @param opsPerCall records (or rows) one call handles, for the throughput
     * @param warmup unmeasured time
     * @param measure measured time
     * @param call the call
     * @return the cell
     */
    static Result run(String scenario, String who, boolean baseline, int threads, int opsPerCall, Duration warmup,
            Duration measure, Call call) throws InterruptedException {
        System.out.printf(Locale.ROOT, "%-28s %-34s %3d threads: warm-up %d s, measure %d s%n", scenario, who,
                threads, warmup.toSeconds(), measure.toSeconds());
        long warmEnd = System.nanoTime() + warmup.toNanos();
        long end = warmEnd + measure.toNanos();
        Histogram all = new Histogram(MAX_LATENCY_NANOS, 3);
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                Histogram mine = new Histogram(MAX_LATENCY_NANOS, 3);
                long made = 0;
                long counted = 0;
                long failed = 0;
                try {
                    while (true) {
                        long start = System.nanoTime();
                        if (start >= end) {
                            break;
                        }
                        try {
                            call.run(id, made++);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        } catch (Exception | Error e) {
                            firstError.compareAndSet(null, e);
                            if (start >= warmEnd) {
                                failed++;
                            }
                            continue;
                        }
                        long stop = System.nanoTime();
                        if (start >= warmEnd && stop <= end) {
                            mine.recordValue(Math.min(stop - start, MAX_LATENCY_NANOS));
                            counted++;
                        }
                    }
                } finally {
                    synchronized (all) {
                        all.add(mine);
                    }
                    calls.addAndGet(counted);
                    errors.addAndGet(failed);
                    done.countDown();
                }
            }, "load-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        Throwable error = firstError.get();
        Result r = new Result(scenario, threads, who, baseline, calls.get() * opsPerCall, measure.toNanos() / 1e9,
                all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(50),
                all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(99), errors.get(),
                error == null || errors.get() == 0 ? "" : "first error: " + oneLine(error));
        print(r);
        return r;
    }

    static void print(Result r) {
        String latency = r.hasLatency() ? String.format(Locale.ROOT, "  p50 %.2f ms  p99 %.2f ms", r.p50Nanos() / 1e6,
                r.p99Nanos() / 1e6) : "";
        System.out.printf(Locale.ROOT, "    %,.0f/s%s  errors %d %s%n", r.throughput(), latency, r.errors(),
                r.note());
    }

    static String oneLine(Throwable t) {
        String text = t.toString().replace('\n', ' ').replace('|', '/');
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }
}
