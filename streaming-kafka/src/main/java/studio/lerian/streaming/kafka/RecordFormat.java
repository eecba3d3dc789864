package studio.lerian.streaming.kafka;

import java.util.Optional;

/** How an event is framed as a Kafka record ({@code STREAMING_CLOUDEVENTS_FORMAT}). */
public enum RecordFormat {
    /**
     * The Go library's record, the default: CloudEvents binary mode with {@code ce-} header names in a fixed order,
     * {@code ce-datacontenttype} instead of {@code content-type}, the payload bytes unchanged as value.
     */
    LERIAN("lerian"),
    /**
     * The CloudEvents Kafka protocol binding, binary mode: {@code ce_} header names and {@code content-type}; readable
     * by the CloudEvents SDK's {@code CloudEventDeserializer}.
     */
    KAFKA_BINARY("kafka-binary"),
    /** The CloudEvents Kafka protocol binding, structured mode: an {@code application/cloudevents+json} value. */
    KAFKA_STRUCTURED("kafka-structured");

    private final String wire;

    RecordFormat(String wire) {
        this.wire = wire;
    }

    /** @return the configuration value, e.g. {@code kafka-binary} */
    public String wire() {
        return wire;
    }

    /**
     * @param wire a configuration value; exact match
     * @return the format, or empty
     */
    public static Optional<RecordFormat> fromWire(String wire) {
        for (RecordFormat f : values()) {
            if (f.wire.equals(wire)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
