package studio.lerian.streaming.wire;

/**
 * Topic names, as the Go library derives them: {@code lerian.streaming.<resourceType>.<eventType>}, with
 * {@code .v<major>} appended when the schema version's semantic-version major is 2 or more, and {@code .dlq} appended
 * for the dead-letter topic.
 */
public final class Topics {

    /** The prefix of every event topic. */
    public static final String PREFIX = "lerian.streaming.";

    /** The suffix of a dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    /**
     * The topic of an event.
     *
     * @param resourceType the resource type; must not be {@code null}
     * @param eventType the event type; must not be {@code null}
     * @param schemaVersion the schema version; {@code null} counts as empty
     * @return e.g. {@code lerian.streaming.transaction.created} or {@code lerian.streaming.ledger.closed.v2}
     */
    public static String topic(String resourceType, String eventType, String schemaVersion) {
        long major = majorVersion(schemaVersion);
        String base = PREFIX + resourceType + "." + eventType;
        return major >= 2 ? base + ".v" + major : base;
    }

    /**
     * The dead-letter topic of a topic.
     *
     * @param topic the source topic; must not be {@code null}
     * @return the topic followed by {@value #DLQ_SUFFIX}
     */
    public static String dlqTopic(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /**
     * The semantic-version major of a schema version, following Go's {@code golang.org/x/mod/semver} rules after
     * stripping one optional leading {@code v}: {@code MAJOR}, {@code MAJOR.MINOR} or
     * {@code MAJOR.MINOR.PATCH[-prerelease][+build]}, numbers without leading zeros. Case-sensitive ({@code V2} is
     * invalid). Hand-written because the rules are Go's, not those of any Java semver library.
     *
     * @param schemaVersion the version; {@code null} counts as empty
     * @return the major, or 0 for empty, invalid, or overflowing ({@code > Long.MAX_VALUE}) versions; never negative
     */
    public static long majorVersion(String schemaVersion) {
        if (schemaVersion == null || schemaVersion.isEmpty()) {
            return 0;
        }
        switch (schemaVersion) {
            case "1.0.0", "v1.0.0", "1", "v1" -> {
                return 1;
            }
            default -> {
                // any other spelling is parsed below
            }
        }
        String v = schemaVersion.startsWith("v") ? schemaVersion.substring(1) : schemaVersion;
        int end = numberEnd(v, 0);
        if (end < 0) {
            return 0;
        }
        String major = v.substring(0, end);
        if (end < v.length() && !validTail(v, end)) {
            return 0;
        }
        try {
            return Long.parseLong(major);
        } catch (NumberFormatException overflow) {
            return 0;
        }
    }

    /** After the major: {@code .MINOR}, or {@code .MINOR.PATCH[-pre][+build]}. */
    private static boolean validTail(String v, int pos) {
        if (v.charAt(pos) != '.') {
            return false;
        }
        int minorEnd = numberEnd(v, pos + 1);
        if (minorEnd < 0) {
            return false;
        }
        if (minorEnd == v.length()) {
            return true;
        }
        if (v.charAt(minorEnd) != '.') {
            return false;
        }
        int patchEnd = numberEnd(v, minorEnd + 1);
        if (patchEnd < 0) {
            return false;
        }
        int p = patchEnd;
        if (p < v.length() && v.charAt(p) == '-') {
            p = identifiers(v, p + 1, true);
            if (p < 0) {
                return false;
            }
        }
        if (p < v.length() && v.charAt(p) == '+') {
            p = identifiers(v, p + 1, false);
            if (p < 0) {
                return false;
            }
        }
        return p == v.length();
    }

    /** A decimal number without a leading zero (except "0") starting at pos; returns its end or -1. */
    private static int numberEnd(String v, int pos) {
        int i = pos;
        while (i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
            i++;
        }
        if (i == pos || (v.charAt(pos) == '0' && i - pos > 1)) {
            return -1;
        }
        return i;
    }

    /** Dot-separated identifiers of [0-9A-Za-z-]; numeric pre-release identifiers have no leading zero. */
    private static int identifiers(String v, int pos, boolean prerelease) {
        int i = pos;
        while (true) {
            int start = i;
            boolean numeric = true;
            while (i < v.length() && isIdentChar(v.charAt(i))) {
                numeric &= v.charAt(i) >= '0' && v.charAt(i) <= '9';
                i++;
            }
            if (i == start || (prerelease && numeric && v.charAt(start) == '0' && i - start > 1)) {
                return -1;
            }
            if (i < v.length() && v.charAt(i) == '.') {
                i++;
                continue;
            }
            return i;
        }
    }

    private static boolean isIdentChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }
}
