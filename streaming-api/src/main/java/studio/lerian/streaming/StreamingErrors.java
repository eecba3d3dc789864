package studio.lerian.streaming;

import java.util.IdentityHashMap;
import java.util.Optional;

/** Questions a caller asks about a failure, answered over the whole cause chain. */
public final class StreamingErrors {

    private StreamingErrors() {
    }

    /**
     * Whether the caller (or the deployment's configuration) can correct this failure, as opposed to an
     * infrastructure fault worth retrying later.
     *
     * <p>Rule (the Go library's {@code IsCallerError}): {@code null} gives {@code false}; if any
     * {@link StreamingException} in the cause chain has a caller-correctable {@link ErrorCode}, {@code true}; otherwise,
     * if the chain holds an {@link EmitException}, the answer of its {@link ErrorClass#isCallerError()}; otherwise
     * {@code false}. Suppressed exceptions are not examined. A {@link BatchEmitException} met in the chain decides for
     * the rest of it (like the Go library's multi-route error): {@code true} exactly when every one of its failures is
     * a caller error, by this same rule.
     *
     * @param failure any throwable; may be {@code null}
     * @return {@code true} when the failure is the caller's to correct
     */
    public static boolean isCallerError(Throwable failure) {
        if (failure == null) {
            return false;
        }
        EmitException emit = null;
        for (Throwable t : chain(failure)) {
            if (t instanceof BatchEmitException batch) {
                return batch.code().isCallerError() || batch.allCallerErrors();
            }
            if (t instanceof StreamingException se && se.code().isCallerError()) {
                return true;
            }
            if (emit == null && t instanceof EmitException ee) {
                emit = ee;
            }
        }
        return emit != null && emit.errorClass().isCallerError();
    }

    /**
     * Whether some exception in the cause chain carries the given code (the Go library's {@code errors.Is}).
     *
     * @param failure any throwable; may be {@code null}
     * @param code the code to look for; must not be {@code null}
     * @return {@code true} when found
     */
    public static boolean hasCode(Throwable failure, ErrorCode code) {
        return find(failure, code).isPresent();
    }

    /**
     * The first exception in the cause chain with the given code.
     *
     * @param failure any throwable; may be {@code null}
     * @param code the code to look for; must not be {@code null}
     * @return the exception, or empty
     */
    public static Optional<StreamingException> find(Throwable failure, ErrorCode code) {
        if (failure == null) {
            return Optional.empty();
        }
        for (Throwable t : chain(failure)) {
            if (t instanceof StreamingException se && se.code() == code) {
                return Optional.of(se);
            }
        }
        return Optional.empty();
    }

    /**
     * The first {@link EmitException} in the cause chain.
     *
     * @param failure any throwable; may be {@code null}
     * @return the exception, or empty
     */
    public static Optional<EmitException> emitException(Throwable failure) {
        if (failure == null) {
            return Optional.empty();
        }
        for (Throwable t : chain(failure)) {
            if (t instanceof EmitException ee) {
                return Optional.of(ee);
            }
        }
        return Optional.empty();
    }

    /** The cause chain, stopping at a cycle. */
    private static Iterable<Throwable> chain(Throwable first) {
        java.util.List<Throwable> out = new java.util.ArrayList<>(4);
        IdentityHashMap<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = first; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            out.add(t);
        }
        return out;
    }
}
