package studio.lerian.streaming.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The engine's own breaker keeps MicroProfile Fault Tolerance's rules: window, ratio, delay, trials, skipped failures. */
class CountingBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final CountingBreaker breaker = new CountingBreaker(4, 0.5, Duration.ofSeconds(30), 3, now::get);

    /** A call that succeeds, fails counted, or fails with a failure the breaker skips; counts its attempts. */
    private static final class Call implements GuardedCall {
        private final RuntimeException failure;
        private final boolean counted;
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger refusals = new AtomicInteger();

        Call(RuntimeException failure, boolean counted) {
            this.failure = failure;
            this.counted = counted;
        }

        @Override
        public Delivery attempt() {
            attempts.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return Delivery.PRODUCED;
        }

        @Override
        public Delivery refused() {
            refusals.incrementAndGet();
            return Delivery.REFUSED;
        }

        @Override
        public boolean countsAsFailure(RuntimeException e) {
            return counted;
        }
    }

    private static Call ok() {
        return new Call(null, true);
    }

    private static Call failing() {
        return new Call(new IllegalStateException("broker down"), true);
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThrows(IllegalStateException.class, () -> breaker.guard(failing()));
        }
    }

    @Test
    void staysClosedUntilTheWindowIsFullEvenIfEveryCallFailed() {
        fail(3);
        Call next = ok();
        assertEquals(Delivery.PRODUCED, breaker.guard(next));
        assertEquals(1, next.attempts.get());
    }

    @Test
    void opensWhenAFullWindowReachesTheFailureRatioAndThenRefusesWithoutAttempting() {
        breaker.guard(ok());
        breaker.guard(ok());
        fail(2);

        Call refused = ok();
        assertEquals(Delivery.REFUSED, breaker.guard(refused));
        assertEquals(0, refused.attempts.get(), "the broker is not touched while open");
        assertEquals(1, refused.refusals.get());
        assertTrue(breaker.isOpen());
    }

    @Test
    void aWindowBelowTheRatioStaysClosedAndOldOutcomesRollOut() {
        fail(1);
        breaker.guard(ok());
        breaker.guard(ok());
        breaker.guard(ok());
        fail(1); // the first failure rolled out: 1 of 4
        assertFalse(breaker.isOpen());
        fail(1); // 2 of 4
        assertTrue(breaker.isOpen());
    }

    @Test
    void failuresTheBrokerIsNotToBlameForCountAsSuccesses() {
        Call skipped = new Call(new IllegalArgumentException("record too large"), false);
        for (int i = 0; i < 4; i++) {
            assertThrows(IllegalArgumentException.class, () -> breaker.guard(skipped));
        }
        assertFalse(breaker.isOpen());
        fail(1);
        assertFalse(breaker.isOpen(), "1 counted failure of 4");
    }

    @Test
    void afterTheDelayThreeTrialSuccessesCloseItWithAnEmptyWindow() {
        fail(4);
        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertEquals(Delivery.REFUSED, breaker.guard(ok()), "still open a nanosecond before the delay");
        now.addAndGet(1);
        for (int i = 0; i < 3; i++) {
            assertEquals(Delivery.PRODUCED, breaker.guard(ok()), "trial " + i);
        }
        fail(3);
        assertFalse(breaker.isOpen(), "the window started empty when it closed: 3 calls do not fill it");
    }

    @Test
    void aFailedTrialOpensItAgainForAWholeDelay() {
        fail(4);
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        breaker.guard(ok());
        fail(1);
        assertTrue(breaker.isOpen());
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals(Delivery.REFUSED, breaker.guard(ok()));
    }

    @Test
    void halfOpenLetsAtMostTheSuccessThresholdOfTrialsThroughAtOnce() throws Exception {
        fail(4);
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        CountDownLatch inFlight = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        GuardedCall slow = new GuardedCall() {
            @Override
            public Delivery attempt() {
                inFlight.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Delivery.PRODUCED;
            }

            @Override
            public Delivery refused() {
                return Delivery.REFUSED;
            }

            @Override
            public boolean countsAsFailure(RuntimeException failure) {
                return true;
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?>[] trials = new Future<?>[3];
            for (int i = 0; i < 3; i++) {
                trials[i] = pool.submit(() -> breaker.guard(slow));
            }
            assertTrue(inFlight.await(5, TimeUnit.SECONDS));
            Call fourth = ok();
            assertEquals(Delivery.REFUSED, breaker.guard(fourth));
            assertEquals(0, fourth.attempts.get());
            release.countDown();
            for (Future<?> t : trials) {
                assertSame(Delivery.PRODUCED, t.get(5, TimeUnit.SECONDS));
            }
            assertEquals(Delivery.PRODUCED, breaker.guard(ok()), "closed after three successful trials");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHugeWindowCostsOnlyWhatItHolds() {
        CountingBreaker huge = new CountingBreaker(Integer.MAX_VALUE, 1.0, Duration.ZERO, 1, now::get);
        assertEquals(Delivery.PRODUCED, huge.guard(ok()));
        assertFalse(huge.isOpen());
    }

    @Test
    void refusesSettingsOutsideTheirRanges() {
        assertThrows(IllegalArgumentException.class, () -> new CountingBreaker(0, 0.5, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new CountingBreaker(1, 0, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new CountingBreaker(1, 1.5, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new CountingBreaker(1, 0.5, Duration.ofSeconds(-1), 1));
        assertThrows(IllegalArgumentException.class, () -> new CountingBreaker(1, 0.5, Duration.ZERO, 0));
    }
}
