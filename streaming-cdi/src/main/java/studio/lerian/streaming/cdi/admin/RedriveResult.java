package studio.lerian.streaming.cdi.admin;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What a {@link DeadLetterRedrive} run did. Immutable.
 *
 * <p>{@link #read()} counts every DLQ record the run examined; {@link #skipped()} those it could not re-drive, by
 * reason; {@link #matched()} those the filters selected and that could be re-driven (in a dry run, what would be
 * sent); {@link #sent()} those the broker acknowledged on the source topic. {@link #nextOffsets()} is, per DLQ
 * partition, the offset to start the next run at ({@link RedriveRequest.Builder#startOffsets(Map)}) to go on where
 * this one stopped: after a failed send, the first record of that partition not acknowledged.
 *
 * @param topic the source topic
 * @param dlqTopic the DLQ topic read
 * @param dryRun whether nothing was sent on purpose
 * @param read DLQ records examined
 * @param matched records selected for re-drive
 * @param sent records acknowledged on the source topic
 * @param skipped records not re-driven, by reason
 * @param nextOffsets per DLQ partition, the offset to resume from
 * @param complete whether every DLQ partition was read up to the end it had when the run started (false when
 *        {@link RedriveRequest#maxRecords()} or a failure stopped it earlier)
 * @param outOfOrderKeys keys whose re-driven events land (or would land) behind newer events of the key on the source
 *        topic, as the order check found them; empty when it did not run ({@link RedriveRequest#acceptOutOfOrder()})
 */
public record RedriveResult(String topic, String dlqTopic, boolean dryRun, long read, long matched, long sent,
        Map<SkipReason, Long> skipped, Map<Integer, Long> nextOffsets, boolean complete, List<String> outOfOrderKeys) {

    /** Copies the collections. */
    public RedriveResult {
        EnumMap<SkipReason, Long> s = new EnumMap<>(SkipReason.class);
        s.putAll(skipped);
        skipped = Collections.unmodifiableMap(s);
        nextOffsets = Collections.unmodifiableMap(new TreeMap<>(nextOffsets));
        outOfOrderKeys = List.copyOf(outOfOrderKeys);
    }

    /**
     * @param reason a reason
     * @return how many records were skipped for it
     */
    public long skipped(SkipReason reason) {
        return skipped.getOrDefault(reason, 0L);
    }

    /** @return the skipped counts as {@code other_topic:2,payload_omitted:1}; {@code none} when nothing was skipped */
    public String skippedText() {
        StringJoiner out = new StringJoiner(",");
        skipped.forEach((reason, n) -> {
            if (n > 0) {
                out.add(reason.wire() + ":" + n);
            }
        });
        return out.length() == 0 ? "none" : out.toString();
    }

    /** @return the resume offsets as {@code 0:12,1:7}; {@code none} when the DLQ topic has no partition */
    public String nextOffsetsText() {
        StringJoiner out = new StringJoiner(",");
        nextOffsets.forEach((p, o) -> out.add(p + ":" + o));
        return out.length() == 0 ? "none" : out.toString();
    }
}
