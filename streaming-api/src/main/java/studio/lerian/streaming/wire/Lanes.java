package studio.lerian.streaming.wire;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Outbox lanes: how relay instances share an outbox table without sharing a partition key.
 *
 * <p>Every outbox row stores the hash of its partition key ({@link #keyHash}): the CRC-32 (IEEE 802.3, the checksum of
 * {@link CRC32} and of Go's {@code hash/crc32.ChecksumIEEE}) of the key's UTF-8 bytes, an unsigned 32-bit value. The
 * row's lane is that hash modulo the table's lane count ({@link #lane}); each lane is relayed by one relay instance at a
 * time, so each key's rows go out through one relay, in creation order, while relays work on different lanes side by
 * side. The hash is stored rather than the lane so that a writer needs no lane count and the count can change without
 * touching any row.
 */
public final class Lanes {

    /** The most lanes a table may have: {@value}. */
    public static final int MAX_LANES = 4096;

    private Lanes() {
    }

    /**
     * @param partitionKey the row's partition key; must not be {@code null}
     * @return the CRC-32 of its UTF-8 bytes, from 0 to 2<sup>32</sup>-1; {@code 1380802081} for {@code "t-abc"}
     */
    public static long keyHash(String partitionKey) {
        CRC32 crc = new CRC32();
        crc.update(Objects.requireNonNull(partitionKey, "partitionKey").getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /**
     * @param keyHash a {@linkplain #keyHash key hash}
     * @param lanes the table's lane count, from 1 to {@value #MAX_LANES}
     * @return the lane, from 0 to {@code lanes - 1}
     * @throws IllegalArgumentException when {@code lanes} is out of range or the hash is not a 32-bit unsigned value
     */
    public static int lane(long keyHash, int lanes) {
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("lanes must be from 1 to " + MAX_LANES + ", not " + lanes);
        }
        if (keyHash < 0 || keyHash > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not a 32-bit key hash: " + keyHash);
        }
        return (int) (keyHash % lanes);
    }
}
