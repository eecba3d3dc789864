package studio.lerian.streaming.benchmarks.peer;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * What an application using the SmallRye Kafka connector writes to publish an event and wait for the broker: a
 * {@code @Channel Emitter}, a message carrying the key and headers as Kafka metadata, and ack/nack callbacks that
 * complete a future. The buffer is sized for the harness's largest thread count, each thread having one message
 * outstanding (the default 128 would overflow at 256 threads).
 */
@ApplicationScoped
public class PeerSender {

    @Inject
    @Channel(PeerLoad.CHANNEL)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<byte[]> emitter;

    /**
     * Sends one record and waits for its acknowledgement.
     *
     * @param key the record key
     * @param headers the record headers
     * @param value the record value
     * @throws Exception when the connector nacks the message
     */
    public void sendAndWait(byte[] key, Headers headers, byte[] value) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<byte[]> metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(key).withHeaders(headers).build();
        emitter.send(Message.of(value)
                .addMetadata(metadata)
                .withAck(() -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    done.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        done.get();
    }
}
