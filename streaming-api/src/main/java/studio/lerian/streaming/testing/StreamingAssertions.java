package studio.lerian.streaming.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import studio.lerian.streaming.EmitRequest;

/**
 * Assertions over a {@link MockEmitter}. Framework-neutral: failures throw {@link AssertionError}, which JUnit,
 * TestNG and Spock all report as test failures.
 */
public final class StreamingAssertions {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private StreamingAssertions() {
    }

    /**
     * Asserts that at least one request of the definition was emitted.
     *
     * @param mock the mock; must not be {@code null}
     * @param definitionKey the definition key
     * @throws AssertionError {@code expected event <key> to be emitted; none found in <n> captured requests}
     */
    public static void assertEventEmitted(MockEmitter mock, String definitionKey) {
        List<EmitRequest> all = mock.requests();
        if (all.stream().noneMatch(r -> r.definitionKey().equals(definitionKey))) {
            throw new AssertionError("expected event " + definitionKey + " to be emitted; none found in " + all.size()
                    + " captured requests");
        }
    }

    /**
     * Asserts the exact number of requests of the definition.
     *
     * @param mock the mock; must not be {@code null}
     * @param definitionKey the definition key
     * @param expected the expected count
     * @throws AssertionError {@code expected <n> events of <key>; got <c>}
     */
    public static void assertEventCount(MockEmitter mock, String definitionKey, int expected) {
        long count = mock.requests().stream().filter(r -> r.definitionKey().equals(definitionKey)).count();
        if (count != expected) {
            throw new AssertionError("expected " + expected + " events of " + definitionKey + "; got " + count);
        }
    }

    /**
     * Asserts that at least one request was emitted for the tenant.
     *
     * @param mock the mock; must not be {@code null}
     * @param tenantId the tenant id
     * @throws AssertionError {@code expected at least one event with tenantId="<id>"; none found in <n> captured
     *         requests}
     */
    public static void assertTenantId(MockEmitter mock, String tenantId) {
        List<EmitRequest> all = mock.requests();
        if (all.stream().noneMatch(r -> r.tenantId().equals(tenantId))) {
            throw new AssertionError("expected at least one event with tenantId=\"" + tenantId + "\"; none found in "
                    + all.size() + " captured requests");
        }
    }

    /**
     * Asserts that one {@link MockEmitter#emitAll} batch held exactly requests of these definitions, in this order:
     * for code that must emit a set of events together.
     *
     * @param mock the mock; must not be {@code null}
     * @param definitionKeys the definition keys of the batch's requests, in order
     * @throws AssertionError {@code expected one batch of [<keys>]; got batches [[<keys>], ...]}
     */
    public static void assertEmittedTogether(MockEmitter mock, String... definitionKeys) {
        List<String> expected = List.of(definitionKeys);
        List<List<String>> got = mock.batches().stream()
                .map(batch -> batch.stream().map(EmitRequest::definitionKey).toList()).toList();
        if (!got.contains(expected)) {
            throw new AssertionError("expected one batch of " + expected + "; got batches " + got);
        }
    }

    /**
     * The payloads of the definition's recorded requests, read as a type ({@link EmitRequest#payloadAs(Class)}), in
     * emit order: for tests of code that emits typed payloads.
     *
     * @param mock the mock; must not be {@code null}
     * @param definitionKey the definition key
     * @param type the payload type; must not be {@code null}
     * @param <T> the payload type
     * @return the payloads, in emit order; empty when none was emitted
     * @throws studio.lerian.streaming.StreamingException {@link studio.lerian.streaming.ErrorCode#PAYLOAD_NOT_READABLE}
     *         when a payload cannot be read as the type
     */
    public static <T> List<T> payloadsOf(MockEmitter mock, String definitionKey, Class<T> type) {
        Objects.requireNonNull(type, "type");
        List<T> out = new ArrayList<>();
        for (EmitRequest r : mock.requests()) {
            if (r.definitionKey().equals(definitionKey)) {
                out.add(r.payloadAs(type));
            }
        }
        return out;
    }

    /**
     * Asserts that a request of the definition was emitted whose payload, read as a type, matches.
     *
     * @param mock the mock; must not be {@code null}
     * @param definitionKey the definition key
     * @param type the payload type; must not be {@code null}
     * @param matcher the condition on the payload; must not be {@code null}
     * @param <T> the payload type
     * @return the first matching payload, in emit order
     * @throws AssertionError {@code expected an event <key> whose <type> payload matches; none of its <n> matched}
     *         (payloads are not quoted: they may hold personal data)
     */
    public static <T> T assertPayloadEmitted(MockEmitter mock, String definitionKey, Class<T> type,
            Predicate<? super T> matcher) {
        Objects.requireNonNull(matcher, "matcher must not be null");
        List<T> payloads = payloadsOf(mock, definitionKey, type);
        for (T payload : payloads) {
            if (matcher.test(payload)) {
                return payload;
            }
        }
        throw new AssertionError("expected an event " + definitionKey + " whose " + type.getName()
                + " payload matches; none of its " + payloads.size() + " matched");
    }

    /**
     * Asserts that nothing was emitted.
     *
     * @param mock the mock; must not be {@code null}
     * @throws AssertionError {@code expected no events to be emitted; got <n>}
     */
    public static void assertNoEvents(MockEmitter mock) {
        int n = mock.requests().size();
        if (n != 0) {
            throw new AssertionError("expected no events to be emitted; got " + n);
        }
    }

    /**
     * Waits until a recorded request matches, polling every millisecond; for code that emits from another thread.
     *
     * @param mock the mock; must not be {@code null}
     * @param matcher the condition; must not be {@code null}
     * @param timeout how long to wait; must not be {@code null} or negative
     * @return the first matching request, in emission order
     * @throws AssertionError {@code waitForEvent timed out after <timeout>}, or when the waiting thread is interrupted
     */
    public static EmitRequest waitForEvent(MockEmitter mock, Predicate<EmitRequest> matcher, Duration timeout) {
        Objects.requireNonNull(mock, "mock");
        Objects.requireNonNull(matcher, "matcher must not be null");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (EmitRequest r : mock.requests()) {
                if (matcher.test(r)) {
                    return r;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("waitForEvent timed out after " + timeout);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("waitForEvent interrupted", e);
            }
        }
    }
}
