package studio.lerian.streaming.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A failure's cause chain, the failure first. {@link Throwable#initCause} refuses only a failure as its own cause, so
 * a chain can loop through two or more failures (a library that wraps and is wrapped back); the chain ends where it
 * would repeat one, so that whoever walks it always stops.
 */
final class Causes {

    private Causes() {
    }

    /**
     * @param failure a failure, or {@code null}
     * @return the failure and its causes, each once, outermost first; empty for {@code null}
     */
    static List<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
