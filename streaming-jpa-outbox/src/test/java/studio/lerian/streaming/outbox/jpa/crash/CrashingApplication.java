package studio.lerian.streaming.outbox.jpa.crash;

import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/**
 * The application that {@link AbstractProcessCrashTest} kills: a JVM of its own running the library with the JPA
 * outbox and its relay, as a deployment would. It reports its progress on standard output, one line per fact, so the
 * test waits for state instead of time:
 * <ul>
 *   <li>{@code ready}: the container is up (the relay polls from now on);</li>
 *   <li>{@code acked <tenant> <seq>}: {@code emit} returned without error for that event, so its outbox row is
 *       committed (every event of this application takes the outbox: policy {@code outbox=always}).</li>
 * </ul>
 *
 * <p>Arguments: {@code emit|relay}, the JDBC URL, the JDBC user, the broker address, the number of tenants, and the
 * first sequence number. {@code emit} emits round-robin over the tenants until the process dies, the event id being
 * {@code <tenant>-<seq>}; {@code relay} only relays. Diagnostics go to standard error.
 */
public class CrashingApplication {

    /** The outbox unit of this process. */
    static volatile EntityManagerFactory unit;

    @Produces
    @StreamingOutbox
    EntityManagerFactory outboxUnit() {
        return unit;
    }

    /** No caller here has a unit of work of its own: each parked event commits its own row. */
    @Produces
    @StreamingOutbox
    EntityManager currentUnitOfWork() {
        return null;
    }

    /**
     * Runs until killed.
     *
     * @param args mode, JDBC URL, JDBC user, broker address, tenants, first sequence number
     */
    public static void main(String[] args) {
        // If the test JVM dies (killed, or its build stopped), this process must not live on and emit into a schema
        // that nobody will drop.
        Optional<CompletableFuture<Void>> unused =
                ProcessHandle.current().parent().map(test -> test.onExit().thenRun(() -> Runtime.getRuntime().halt(2)));
        String mode = args[0];
        unit = Persistence.createEntityManagerFactory("lerian-streaming-test", Map.of(
                "jakarta.persistence.jdbc.url", args[1],
                "jakarta.persistence.jdbc.user", args[2],
                "jakarta.persistence.jdbc.password", ""));
        int tenants = Integer.parseInt(args[4]);
        long firstSeq = Long.parseLong(args[5]);
        // Every println reaches the pipe at once: what the test reads is what had happened when the process died.
        PrintStream progress = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

        StreamingContainer app = StreamingContainer.start(config(args[3]), Fixture.Definitions.class,
                CrashingApplication.class);
        Emitter emitter = app.emitter();
        progress.println("ready");
        if (!mode.equals("emit")) {
            try {
                Thread.currentThread().join(); // relays until killed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        DeliveryPolicyOverride alwaysOutbox = DeliveryPolicyOverride.builder().outbox(OutboxMode.ALWAYS).build();
        for (long seq = firstSeq; ; seq++) {
            for (int t = 0; t < tenants; t++) {
                String tenant = "t" + t;
                try {
                    emitter.emit(EmitRequest.builder("transaction.created").tenantId(tenant)
                            .eventId(tenant + "-" + seq).subject(Long.toString(seq))
                            .payload("{\"seq\":" + seq + "}").policyOverride(alwaysOutbox).build());
                    progress.println("acked " + tenant + " " + seq);
                } catch (StreamingException e) {
                    System.err.println("emit failed " + tenant + " " + seq + ": " + e.getMessage());
                }
            }
        }
    }

    private static Map<String, String> config(String bootstrap) {
        Map<String, String> config = Fixture.config(bootstrap);
        // A relay batch waiting for a dead broker stays held this long: the test kills the process meanwhile.
        config.put("streaming.record.delivery.timeout.s", "10");
        config.put("streaming.outbox.poll.interval.ms", "100");
        config.put("streaming.outbox.batch.size", "50");
        // Retries while the broker is down must not exhaust a row (FAILED would be a loss for this test's count).
        config.put("streaming.outbox.max.attempts", "1000");
        config.put("streaming.outbox.backoff.initial.ms", "100");
        config.put("streaming.outbox.backoff.max.ms", "1000");
        return config;
    }
}
