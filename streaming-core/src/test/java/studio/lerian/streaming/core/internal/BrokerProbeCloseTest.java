package studio.lerian.streaming.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;

/**
 * A readiness probe that runs while the emitter closes must not leave an Admin client behind: its network thread
 * would keep the application's class loader alive after every redeploy. The Kafka Admin client runs one thread named
 * after its client id, which is how the test sees whether a client exists. No broker: nothing listens on port 1.
 */
class BrokerProbeCloseTest {

    private final String clientId = "probe-" + UUID.randomUUID();

    private BrokerProbe probe() {
        return new BrokerProbe(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                CommonClientConfigs.CLIENT_ID_CONFIG, clientId,
                CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 500,
                CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 500));
    }

    private long adminThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().contains(clientId)).count();
    }

    @Test
    void aPingAfterCloseMakesNoAdminClient() {
        BrokerProbe probe = probe();
        probe.close();

        StreamingException closed = assertThrows(StreamingException.class, probe::ping);
        assertEquals(ErrorCode.EMITTER_CLOSED, closed.code());
        assertEquals(0, adminThreads(), "an Admin client made after close");
    }

    @Test
    void pingsRacingCloseLeaveNoAdminClient() throws Exception {
        for (int round = 0; round < 20; round++) {
            BrokerProbe probe = probe();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> pingers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        probe.ping();
                    } catch (Exception expected) {
                        // no broker, or closed: either way the ping fails
                    }
                });
                t.start();
                pingers.add(t);
            }
            go.countDown();
            probe.close();
            for (Thread t : pingers) {
                t.join(10_000);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> adminThreads() == 0);
    }
}
