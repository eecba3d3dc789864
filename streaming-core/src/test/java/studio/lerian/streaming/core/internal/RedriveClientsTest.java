package studio.lerian.streaming.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;

/**
 * The re-drive's clients reach the cluster as the emitter does, its producer never weaker than idempotent
 * {@code acks=all}, and its consumer never joins or commits to a consumer group, whatever is passed through.
 */
class RedriveClientsTest {

    private static StreamingConfig config(Map<String, String> more) {
        Map<String, String> p = new HashMap<>(more);
        p.put("streaming.enabled", "true");
        p.put("streaming.brokers", "k1:9093");
        p.put("streaming.cloudevents.source", "//lerian.midaz/transaction-service");
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.sasl.mechanism", "SCRAM-SHA-512");
        p.put("streaming.sasl.username", "ops");
        p.put("streaming.sasl.password", "pw");
        return StreamingConfigLoader.load(p::get, p.keySet());
    }

    @Test
    void theProducerIsIdempotentWithAllAcksEvenWhenTheEmitterIsNot() {
        Map<String, Object> s = RedriveClients.producer(config(Map.of("streaming.required.acks", "leader",
                "streaming.record.retries", "0")));
        assertEquals("all", s.get("acks"));
        assertEquals(true, s.get("enable.idempotence"));
        assertEquals(5, s.get("max.in.flight.requests.per.connection"));
        assertEquals("SASL_SSL", s.get("security.protocol"));
    }

    @Test
    void theConsumerHasTheEmittersSecurityAndItsOwnPropertiesButNoGroup() {
        Map<String, Object> s = RedriveClients.consumer(config(Map.of(
                "streaming.kafka.group.id", "the-applications-group",
                "streaming.kafka.enable.auto.commit", "true",
                "streaming.kafka.fetch.max.bytes", "1048576",
                "streaming.kafka.buffer.memory", "1048576",
                "streaming.kafka.ssl.keystore.location", "/etc/kafka/user.p12")));
        assertEquals("k1:9093", s.get("bootstrap.servers"));
        assertEquals("SASL_SSL", s.get("security.protocol"));
        assertEquals("https", s.get("ssl.endpoint.identification.algorithm"));
        assertEquals("SCRAM-SHA-512", s.get("sasl.mechanism"));
        assertEquals("/etc/kafka/user.p12", s.get("ssl.keystore.location"));
        assertEquals("1048576", s.get("fetch.max.bytes"), "a consumer property passes through");
        assertFalse(s.containsKey("buffer.memory"), "a producer-only property does not");
        assertFalse(s.containsKey("group.id"), "no group: nothing to join, nothing committed");
        assertEquals(false, s.get("enable.auto.commit"));
        assertEquals(false, s.get("allow.auto.create.topics"));
        for (String key : List.of("key.deserializer", "value.deserializer")) {
            assertEquals("org.apache.kafka.common.serialization.ByteArrayDeserializer", s.get(key));
        }
    }
}
