package studio.lerian.streaming.core.internal.outbox;

import java.util.Set;
import java.util.stream.Collectors;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * Whether a stored row is this relay's to publish, beyond the envelope's own checks. The envelope's topic is
 * recomputed from the event it carries, so without these checks anyone able to write a row could publish to any
 * {@code lerian.streaming.*} topic under any {@code ce-source}:
 * <ul>
 * <li>the row's {@code partition_key} column must equal the envelope's key, always: the column decides claims and
 * ordering, the envelope's key decides the Kafka partition, and a row on which they differ would be ordered among
 * one key's events and delivered among another's;</li>
 * <li>the event must be in the running catalog (a definition with its topic and system flag), unless the relay accepts
 * rows of other applications sharing the table ({@code STREAMING_OUTBOX_RELAY_FOREIGN_ROWS}): a Go service, another
 * Java service, whose events this application's catalog does not list. Topic rather than definition key, so that a
 * row parked before a definition was renamed or its schema's minor version raised still goes out.</li>
 * </ul>
 * Thread-safe.
 */
public final class RowOwnership {

    private final Set<String> catalogTopics;
    private final boolean foreignRows;

    private RowOwnership(Set<String> catalogTopics, boolean foreignRows) {
        this.catalogTopics = catalogTopics;
        this.foreignRows = foreignRows;
    }

    /**
     * @param catalog the running catalog
     * @param foreignRows whether events outside it are relayed too
     * @return the rules
     */
    public static RowOwnership of(Catalog catalog, boolean foreignRows) {
        return new RowOwnership(catalog.definitions().stream().map(RowOwnership::identity)
                .collect(Collectors.toUnmodifiableSet()), foreignRows);
    }

    /**
     * @param row the stored row
     * @param envelope its decoded, validated envelope
     * @throws StreamingException {@link ErrorCode#INVALID_OUTBOX_ENVELOPE} when the row's key column and its
     *         envelope disagree, {@link ErrorCode#UNKNOWN_EVENT_DEFINITION} when its event is not in the catalog and
     *         foreign rows are not accepted
     */
    void check(OutboxRow row, OutboxEnvelope envelope) {
        if (!row.partitionKey().equals(envelope.partitionKey())) {
            throw new StreamingException(ErrorCode.INVALID_OUTBOX_ENVELOPE, "row partition_key \"" + row.partitionKey()
                    + "\" does not match the envelope's key \"" + envelope.partitionKey() + "\"");
        }
        if (!foreignRows && !catalogTopics.contains(identity(envelope))) {
            throw new StreamingException(ErrorCode.UNKNOWN_EVENT_DEFINITION, (envelope.event().systemEvent()
                    ? "system event of topic \"" : "topic \"") + envelope.topic() + "\" is not in this application's"
                    + " catalog; a relay of a table shared with other applications needs "
                    + ConfigKey.OUTBOX_RELAY_FOREIGN_ROWS.env() + "=true");
        }
    }

    private static String identity(EventDefinition d) {
        return (d.systemEvent() ? "system " : "") + d.topic();
    }

    private static String identity(OutboxEnvelope e) {
        return (e.event().systemEvent() ? "system " : "") + e.topic();
    }
}
