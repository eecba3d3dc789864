package studio.lerian.streaming;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The set of event definitions an application may emit, keyed by definition key. Immutable. Built once at start-up;
 * an invalid catalog fails the deployment.
 */
public final class Catalog {

    private static final Catalog EMPTY = new Catalog(new TreeMap<>());

    private final Map<String, EventDefinition> byKey;
    private final List<EventDefinition> definitions;

    private Catalog(SortedMap<String, EventDefinition> byKey) {
        this.byKey = Collections.unmodifiableMap(byKey);
        this.definitions = List.copyOf(byKey.values());
    }

    /**
     * The empty catalog. Valid as a value; implementations refuse to start with it.
     *
     * @return the empty catalog
     */
    public static Catalog empty() {
        return EMPTY;
    }

    /**
     * A catalog of the given definitions.
     *
     * @param definitions the definitions; none may be {@code null}
     * @return the catalog
     * @throws StreamingException {@link ErrorCode#DUPLICATE_EVENT_DEFINITION} when two definitions share a key, or
     *         share resource type, event type and schema version
     */
    public static Catalog of(EventDefinition... definitions) {
        return of(Arrays.asList(definitions));
    }

    /**
     * A catalog of the given definitions.
     *
     * @param definitions the definitions; must not be {@code null}, nor hold {@code null}
     * @return the catalog
     * @throws StreamingException {@link ErrorCode#DUPLICATE_EVENT_DEFINITION} when two definitions share a key, or
     *         share resource type, event type and schema version (compared field by field)
     */
    public static Catalog of(Collection<EventDefinition> definitions) {
        Objects.requireNonNull(definitions, "definitions");
        TreeMap<String, EventDefinition> byKey = new TreeMap<>(Catalog::compareUtf8);
        Map<List<String>, EventDefinition> byContract = new HashMap<>();
        for (EventDefinition d : definitions) {
            Objects.requireNonNull(d, "definition");
            if (byKey.putIfAbsent(d.key(), d) != null) {
                throw new StreamingException(ErrorCode.DUPLICATE_EVENT_DEFINITION, "key \"" + d.key() + "\"");
            }
            List<String> contract = List.of(d.resourceType(), d.eventType(), d.schemaVersion());
            EventDefinition first = byContract.putIfAbsent(contract, d);
            if (first != null) {
                throw new StreamingException(ErrorCode.DUPLICATE_EVENT_DEFINITION,
                        "\"" + first.key() + "\" and \"" + d.key() + "\" resolve to resource=\"" + d.resourceType()
                                + "\" event=\"" + d.eventType() + "\" schema=\"" + d.schemaVersion() + "\"");
            }
        }
        return byKey.isEmpty() ? EMPTY : new Catalog(byKey);
    }

    /**
     * Looks a definition up.
     *
     * @param key the definition key; {@code null} gives empty
     * @return the definition, or empty
     */
    public Optional<EventDefinition> lookup(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(byKey.get(key));
    }

    /**
     * The definition of a key, which must exist.
     *
     * @param key the definition key
     * @return the definition
     * @throws StreamingException {@link ErrorCode#UNKNOWN_EVENT_DEFINITION}, e.g.
     *         {@code streaming: unknown event definition: "nope"}
     */
    public EventDefinition require(String key) {
        EventDefinition d = key == null ? null : byKey.get(key);
        if (d == null) {
            throw new StreamingException(ErrorCode.UNKNOWN_EVENT_DEFINITION, "\"" + key + "\"");
        }
        return d;
    }

    /** @return every definition, sorted by key in UTF-8 byte order (as the Go library sorts); unmodifiable */
    public List<EventDefinition> definitions() {
        return definitions;
    }

    /** @return the number of definitions */
    public int size() {
        return definitions.size();
    }

    /** @return whether the catalog holds no definition */
    public boolean isEmpty() {
        return definitions.isEmpty();
    }

    /**
     * This catalog with more definitions, checked as {@link #of(Collection)} checks.
     *
     * @param more the definitions to add
     * @return a new catalog
     * @throws StreamingException {@link ErrorCode#DUPLICATE_EVENT_DEFINITION} on a clash
     */
    public Catalog with(Collection<EventDefinition> more) {
        List<EventDefinition> all = new ArrayList<>(definitions);
        all.addAll(more);
        return of(all);
    }

    @Override
    public String toString() {
        return "Catalog" + byKey.keySet();
    }

    /**
     * Compares by Unicode code point, which is the UTF-8 byte order Go sorts keys in. {@link String#compareTo}
     * compares UTF-16 code units instead, which puts characters above U+FFFF before those from U+E000 to U+FFFF.
     */
    private static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
