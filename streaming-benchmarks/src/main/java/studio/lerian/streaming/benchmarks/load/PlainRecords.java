package studio.lerian.streaming.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.benchmarks.Fixtures;

/**
 * What a hand-rolled publisher sends: the library's default producer settings and a record with the same key, value
 * and {@code ce-} headers as the library's {@code lerian} framing of the benchmarked event.
 */
final class PlainRecords {

    private PlainRecords() {
    }

    /**
     * The library's producer settings at their defaults (see ProducerSettings in streaming-cdi): acks=all,
     * idempotence, lz4, linger 5 ms, batch 16 KiB, request size 1 MiB, 10 retries, 30 s delivery timeout.
     */
    static Properties producerSettings(String brokers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 16_384);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
        p.put(ProducerConfig.RETRIES_CONFIG, 10);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 29_995);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return p;
    }

    /** The record of one event for {@code tenant}: fresh id and time, as the library's framing writes them. */
    static ProducerRecord<byte[], byte[]> record(String topic, String tenant) {
        Headers h = new RecordHeaders();
        h.add("ce-specversion", utf8("1.0"));
        h.add("ce-id", utf8(UUID.randomUUID().toString()));
        h.add("ce-source", utf8(Fixtures.SOURCE));
        h.add("ce-type", utf8("studio.lerian.payment.captured"));
        h.add("ce-time", utf8(Instant.now().toString()));
        h.add("ce-schemaversion", utf8(EventDefinition.DEFAULT_SCHEMA_VERSION));
        h.add("ce-resourcetype", utf8("payment"));
        h.add("ce-eventtype", utf8("captured"));
        h.add("ce-subject", utf8("pay_8f3a2c"));
        h.add("ce-datacontenttype", utf8(EventDefinition.DEFAULT_DATA_CONTENT_TYPE));
        h.add("ce-tenantid", utf8(tenant));
        return new ProducerRecord<>(topic, null, utf8(tenant), Fixtures.KIB_JSON, h);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
