package studio.lerian.streaming.cdi.admin;

/** Why a {@link DeadLetterRedrive} run read a record of the DLQ topic and did not re-drive it. */
public enum SkipReason {

    /** The record has no {@code x-lerian-dlq-source-topic} header: it is not a dead letter this library wrote. */
    NOT_A_DEAD_LETTER("not_a_dead_letter"),
    /** Its {@code x-lerian-dlq-source-topic} names another topic: the DLQ topic is shared by mistake. */
    OTHER_TOPIC("other_topic"),
    /**
     * The dead letter was written without its value ({@code x-lerian-dlq-payload-omitted: true}, the copy was too
     * large): there is no event to send. Counted only for records the filters select.
     */
    PAYLOAD_OMITTED("payload_omitted");

    private final String wire;

    SkipReason(String wire) {
        this.wire = wire;
    }

    /** @return the reason as the audit log line and the command-line tool print it, e.g. {@code other_topic} */
    public String wire() {
        return wire;
    }
}
