package studio.lerian.streaming.outbox.jpa;

import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists of row ids in a statement ({@code e.id in (...)}) as a fixed number of single parameters, {@code :id0} to
 * {@code :id7}, {@code :id15}, ... up to {@value #MAX}: the smallest of those sizes that holds the list, the last id
 * repeated to fill it (which does not change what {@code in} matches).
 *
 * <p>Why not one list parameter ({@code e.id in :ids}): a provider expands a list parameter into as many placeholders
 * as the list has elements when it runs the statement, so its SQL changes with every length. Hibernate then
 * translates the statement anew on each run (its plan cache does not hold statements with list parameters), which
 * was a large part of a relay's CPU per batch, and the database prepares each length apart. With a handful of sizes,
 * each statement is translated and prepared once per size. Written by hand because JPA has no fixed-size list
 * parameter, and the padding providers offer ({@code hibernate.query.in_clause_parameter_padding}) is a setting of
 * the application's persistence unit, not of a library using it.
 */
final class IdList {

    /** The largest list in one statement; longer lists are cut into chunks of this size. */
    static final int MAX = 512;
    private static final int MIN = 8;
    private static final String[] PLACEHOLDERS = new String[Integer.numberOfTrailingZeros(MAX) + 1];
    private static final String[] NAMES = new String[MAX];

    static {
        for (int i = 0; i < MAX; i++) {
            NAMES[i] = "id" + i;
        }
        for (int size = MIN; size <= MAX; size *= 2) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < size; i++) {
                sb.append(i == 0 ? ":" : ", :").append(NAMES[i]);
            }
            PLACEHOLDERS[Integer.numberOfTrailingZeros(size)] = sb.append(')').toString();
        }
    }

    private IdList() {
    }

    /**
     * @param ids a list of at most {@link #MAX} ids
     * @return the placeholders for it, {@code (:id0, :id1, ...)}, to follow {@code in}
     */
    static String placeholders(List<String> ids) {
        return PLACEHOLDERS[Integer.numberOfTrailingZeros(size(ids.size()))];
    }

    /**
     * Binds the ids to {@link #placeholders(List) the placeholders}, repeating the last one to fill them.
     *
     * @param query the statement
     * @param ids the same ids as given to {@link #placeholders(List)}, at least one
     * @return the statement
     */
    static <Q extends Query> Q bind(Q query, List<String> ids) {
        List<String> padded = padded(ids);
        for (int i = 0; i < padded.size(); i++) {
            query.setParameter(NAMES[i], padded.get(i));
        }
        return query;
    }

    /**
     * The positional form, for native statements: {@code (?5, ?6, ...)} from {@code first} on.
     *
     * @param ids a list of at most {@link #MAX} ids
     * @param first the position of the first id
     * @return the placeholders for it, to follow {@code in}
     */
    static String positional(List<String> ids, int first) {
        int size = size(ids.size());
        StringBuilder sb = new StringBuilder(size * 6).append('(');
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "?" : ", ?").append(first + i);
        }
        return sb.append(')').toString();
    }

    /**
     * Binds the ids to {@link #positional(List, int) positional placeholders}, repeating the last one to fill them.
     *
     * @return the statement
     */
    static <Q extends Query> Q bindPositional(Q query, List<String> ids, int first) {
        List<String> padded = padded(ids);
        for (int i = 0; i < padded.size(); i++) {
            query.setParameter(first + i, padded.get(i));
        }
        return query;
    }

    /** @return the ids, the last one repeated up to the list's fixed size */
    private static List<String> padded(List<String> ids) {
        int size = size(ids.size());
        List<String> padded = new ArrayList<>(size);
        padded.addAll(ids);
        while (padded.size() < size) {
            padded.add(ids.get(ids.size() - 1));
        }
        return padded;
    }

    /** @return the ids in chunks of at most {@link #MAX} */
    static List<List<String>> chunks(List<String> ids) {
        if (ids.size() <= MAX) {
            return List.of(ids);
        }
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += MAX) {
            out.add(ids.subList(i, Math.min(ids.size(), i + MAX)));
        }
        return out;
    }

    private static int size(int n) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException("an id list holds 1 to " + MAX + " ids, not " + n);
        }
        int powerOfTwo = n == 1 ? 1 : Integer.highestOneBit(n - 1) << 1; // the smallest one >= n
        return Math.max(MIN, powerOfTwo);
    }
}
