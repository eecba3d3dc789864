package studio.lerian.streaming.outbox.jpa.crash;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link CrashingApplication} in its own OS process, on the test JVM's class path, and what it reported. Killing it
 * with {@link #kill()} sends SIGKILL: no shutdown hook, no {@code finally}, no flush, no rollback by the application
 * (the database rolls back what the dead connections left open).
 */
final class ApplicationProcess {

    private final Process process;
    private final Thread reader;
    private final Path log;
    private volatile boolean ready;
    private final AtomicLong acked = new AtomicLong();
    /** The sequence numbers acknowledged per tenant, in the order they were acknowledged. */
    private final Map<String, List<Long>> ackedByTenant;

    private ApplicationProcess(Process process, Path log, Map<String, List<Long>> ackedByTenant) {
        this.process = process;
        this.log = log;
        this.ackedByTenant = ackedByTenant;
        this.reader = new Thread(this::readProgress, "crash-app-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the application and waits until it reports {@code ready}.
     *
     * @param mode {@code emit} or {@code relay}
     * @param jdbcUrl the outbox database
     * @param jdbcUser its user
     * @param bootstrap the broker
     * @param tenants how many tenants to emit for
     * @param firstSeq the first sequence number of this process
     * @param log where the process's standard error goes
     * @param ackedByTenant where acknowledged sequence numbers are recorded
     * @return the running application
     */
    static ApplicationProcess start(String mode, String jdbcUrl, String jdbcUser, String bootstrap, int tenants,
            long firstSeq, Path log, Map<String, List<Long>> ackedByTenant) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashingApplication.class.getName(), mode, jdbcUrl, jdbcUser, bootstrap, Integer.toString(tenants),
                Long.toString(firstSeq)));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ApplicationProcess app = new ApplicationProcess(p, log, ackedByTenant);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            app.checkAlive();
            return app.ready;
        });
        return app;
    }

    private void readProgress() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("ready")) {
                    ready = true;
                } else if (line.startsWith("acked ")) {
                    String[] f = line.split(" ", -1);
                    ackedByTenant.computeIfAbsent(f[1], k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(Long.parseLong(f[2]));
                    acked.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            // The pipe closes when the process dies; a torn last line (no newline before SIGKILL) is not an ack.
        }
    }

    /** @return how many emits this process reported as acknowledged */
    long acked() {
        return acked.get();
    }

    /** Fails when the process has exited on its own. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("application exited with " + process.exitValue() + ", see " + log);
        }
    }

    /** SIGKILL, then waits until every line it wrote before dying has been read. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** A normal stop (SIGTERM: shutdown hooks run). */
    void stop() {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("application " + process.pid() + " did not exit");
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return a map to pass to {@link #start} that several processes can share */
    static Map<String, List<Long>> newAckLog() {
        return new ConcurrentHashMap<>();
    }
}
