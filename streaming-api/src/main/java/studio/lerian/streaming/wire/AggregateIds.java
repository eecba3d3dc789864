package studio.lerian.streaming.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The outbox aggregate id of an event (spec section 8.4): for a non-system event the name-based UUID version 5 of its
 * partition key in the DNS namespace, so every event of a tenant shares one aggregate; for a system event a random
 * UUID. Hand-written because the JDK only builds version 3 name-based UUIDs and the API takes no dependency.
 */
public final class AggregateIds {

    /** The RFC 4122 DNS namespace, {@code 6ba7b810-9dad-11d1-80b4-00c04fd430c8}. */
    public static final UUID NAMESPACE_DNS = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    private AggregateIds() {
    }

    /**
     * The aggregate id of an event.
     *
     * @param event the event; must not be {@code null}
     * @return {@code uuid5(DNS, partitionKey)} for a non-system event, a random UUID for a system event
     */
    public static UUID of(ResolvedEvent event) {
        return event.systemEvent() ? UUID.randomUUID() : nameBased(event.partitionKey());
    }

    /**
     * {@code uuid5(NAMESPACE_DNS, name)}.
     *
     * @param name the name, hashed as UTF-8; must not be {@code null}
     * @return the version 5 UUID, e.g. {@code 385a8e68-6718-5540-8678-d68cc9207562} for {@code t-abc}
     */
    public static UUID nameBased(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
        ByteBuffer ns = ByteBuffer.allocate(16);
        ns.putLong(NAMESPACE_DNS.getMostSignificantBits()).putLong(NAMESPACE_DNS.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3F) | 0x80); // IETF variant
        ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }
}
