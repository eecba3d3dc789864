package studio.lerian.streaming;

import java.util.Optional;
import java.util.function.Function;

/** The lookup the policy mode enums share: a constant by its exact wire string. */
final class WireNames {

    private WireNames() {
    }

    /**
     * @param values the enum's constants
     * @param wireOf a constant's wire string
     * @param wire the string looked for; {@code null} finds nothing
     * @param <E> the enum
     * @return the constant whose wire string equals {@code wire} exactly, or empty
     */
    static <E extends Enum<E>> Optional<E> find(E[] values, Function<E, String> wireOf, String wire) {
        for (E value : values) {
            if (wireOf.apply(value).equals(wire)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
