package studio.lerian.streaming.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.wire.ResolvedEvent;

/** The inputs every benchmark shares: one event definition, a small and a ~1 KiB JSON payload, a resolved event. */
public final class Fixtures {

    /** The catalog key of the benchmarked event. */
    public static final String KEY = "payment.captured";

    /** The ce-source of every benchmarked event. */
    public static final String SOURCE = "//lerian.bench/payments";

    /** A tenant id of the usual shape (a UUID). */
    public static final String TENANT = "0192f4a8-7c1e-7b3d-9a51-3c6e2f8d4b10";

    /** A 31-byte JSON object. */
    public static final byte[] SMALL_JSON = "{\"amount\":100,\"currency\":\"BRL\"}".getBytes(StandardCharsets.UTF_8);

    /** A payment of about 1 KiB, the payload size the issue asks for. */
    public static final byte[] KIB_JSON = kibJson();

    private Fixtures() {
    }

    /** @return the definition of {@link #KEY}, default policy */
    public static EventDefinition definition() {
        return EventDefinition.builder(KEY).resourceType("payment").eventType("captured").build();
    }

    /** @return the definition of {@link #KEY} with the given default policy */
    public static EventDefinition definition(DeliveryPolicy policy) {
        return EventDefinition.builder(KEY).resourceType("payment").eventType("captured").defaultPolicy(policy)
                .build();
    }

    /** @return an event as the emit path resolves it, with the ~1 KiB payload */
    public static ResolvedEvent event() {
        return ResolvedEvent.builder()
                .tenantId(TENANT)
                .resourceType("payment")
                .eventType("captured")
                .eventId("0192f4a8-7c1e-7b3d-9a51-3c6e2f8d4b11")
                .schemaVersion(EventDefinition.DEFAULT_SCHEMA_VERSION)
                .timestamp(OffsetDateTime.of(2026, 11, 27, 6, 30, 0, 123_456_789, ZoneOffset.UTC))
                .source(SOURCE)
                .subject("pay_8f3a2c")
                .dataContentType(EventDefinition.DEFAULT_DATA_CONTENT_TYPE)
                .dataSchema("")
                .systemEvent(false)
                .payload(KIB_JSON)
                .build();
    }

    private static byte[] kibJson() {
        StringBuilder sb = new StringBuilder(1100);
        sb.append("{\"id\":\"pay_8f3a2c\",\"merchant\":\"m-0042\",\"amount\":{\"value\":\"1234.56\",\"currency\":\"BRL\"},")
                .append("\"status\":\"captured\",\"capturedAt\":\"2026-11-27T06:30:00.123Z\",")
                .append("\"description\":\"Pedido n\\u00ba 1234 \\u2014 caf\\u00e9 e p\\u00e3o\",\"items\":[");
        int i = 0;
        while (sb.length() < 990) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"sku\":\"SKU-").append(1000 + i).append("\",\"qty\":").append(i % 5 + 1)
                    .append(",\"unit\":\"").append(10 + i).append(".90\"}");
            i++;
        }
        sb.append("],\"metadata\":{\"channel\":\"pos\",\"retry\":false,\"score\":0.97}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
