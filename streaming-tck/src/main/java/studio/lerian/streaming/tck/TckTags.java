package studio.lerian.streaming.tck;

/** The JUnit 5 tags of the TCK; a runner excludes optional parts by tag. */
public final class TckTags {

    /** Behaviour every implementation must show. */
    public static final String CORE = "core";

    /** Behaviour of the transactional outbox; an implementation without an outbox excludes it. */
    public static final String OUTBOX = "outbox";

    /**
     * The MicroProfile Health readiness check; a runtime without MicroProfile Health (where the check is optional)
     * excludes it.
     */
    public static final String HEALTH = "health";

    private TckTags() {
    }
}
