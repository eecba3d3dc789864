package studio.lerian.streaming.internal;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The payload arrays held by {@link EmitRequest} and {@link ResolvedEvent}, for this project's implementation modules,
 * without the defensive copies the public accessors make.
 *
 * <p>Why by hand: both types copy the payload on the way in and on every read, so that applications can never change
 * an event after it was built. The emit path only reads the bytes and hands them to the Kafka client, and with the
 * public accessors it copied a payload four times per emit (request to validation, into the event, event to the
 * record, event to the envelope). Java has no friend access across packages, so each type hands this class its
 * accessors when it is initialized (the JDK's own "shared secrets" arrangement).
 *
 * <p>The arrays returned here are the objects' own: never modify them, and never pass them to application code.
 */
public final class PayloadArrays {

    private static volatile Function<EmitRequest, byte[]> requestPayload;
    private static volatile Function<ResolvedEvent, byte[]> eventPayload;
    private static volatile BiConsumer<ResolvedEvent.Builder, byte[]> eventAdopt;

    private PayloadArrays() {
    }

    /**
     * @param request a request
     * @return its payload array (empty when unset), not a copy
     */
    public static byte[] of(EmitRequest request) {
        return requestPayload.apply(Objects.requireNonNull(request, "request"));
    }

    /**
     * @param event an event
     * @return its payload array, not a copy
     */
    public static byte[] of(ResolvedEvent event) {
        return eventPayload.apply(Objects.requireNonNull(event, "event"));
    }

    /**
     * Sets the payload of an event under construction to this array, which the event will hold without copying.
     *
     * @param builder the builder
     * @param payload an array nobody modifies any more, such as {@link #of(EmitRequest)}'s
     * @return the builder
     */
    public static ResolvedEvent.Builder adopt(ResolvedEvent.Builder builder, byte[] payload) {
        eventAdopt.accept(Objects.requireNonNull(builder, "builder"), Objects.requireNonNull(payload, "payload"));
        return builder;
    }

    /**
     * Called once by {@link EmitRequest}'s initializer.
     *
     * @param payload reads a request's array
     */
    public static void registerRequest(Function<EmitRequest, byte[]> payload) {
        if (requestPayload == null) {
            requestPayload = payload;
        }
    }

    /**
     * Called once by {@link ResolvedEvent}'s initializer.
     *
     * @param payload reads an event's array
     * @param adopt sets a builder's array, to be held without a copy
     */
    public static void registerEvent(Function<ResolvedEvent, byte[]> payload,
            BiConsumer<ResolvedEvent.Builder, byte[]> adopt) {
        if (eventPayload == null) {
            eventPayload = payload;
            eventAdopt = adopt;
        }
    }
}
