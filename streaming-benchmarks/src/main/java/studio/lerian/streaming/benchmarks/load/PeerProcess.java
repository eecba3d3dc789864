package studio.lerian.streaming.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import studio.lerian.streaming.benchmarks.Fixtures;

/**
 * Scenario e's cells: the SmallRye Reactive Messaging Kafka connector, run by {@code streaming-benchmarks-peer} in a
 * JVM of its own (its class path would not converge with the library's), one process per cell. The harness hands it
 * the broker, the topic and the payload bytes; the child prints a {@code RESULT} line, read back here.
 */
final class PeerProcess {

    static final String WHO = "SmallRye RM @Channel Emitter";

    private final Path moduleTarget;
    private final Path workDir;
    private final Path payload;

    /**
     * @param moduleTarget {@code streaming-benchmarks-peer/target}, holding {@code classes} and {@code classpath.txt}
     * @param workDir where the payload file is written
     */
    PeerProcess(Path moduleTarget, Path workDir) throws IOException {
        this.moduleTarget = moduleTarget;
        this.workDir = workDir;
        Files.createDirectories(workDir);
        this.payload = workDir.resolve("payload.json");
        Files.write(payload, Fixtures.KIB_JSON);
    }

    /** @return whether the peer module was built (its class path file exists) */
    boolean available() {
        return Files.isRegularFile(moduleTarget.resolve("classpath.txt"))
                && Files.isDirectory(moduleTarget.resolve("classes"));
    }

    Result run(String scenario, String brokers, String topic, int threads, Duration warmup, Duration measure)
            throws IOException, InterruptedException {
        System.out.printf("%-28s %-34s %3d threads: warm-up %d s, measure %d s (own JVM)%n", scenario, WHO, threads,
                warmup.toSeconds(), measure.toSeconds());
        String classPath = moduleTarget.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(moduleTarget.resolve("classpath.txt")).strip();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path log = workDir.resolve("peer-" + threads + "-threads.log");
        Process p = new ProcessBuilder(List.of(java, "-Xms256m", "-Xmx1g", "-cp", classPath,
                "studio.lerian.streaming.benchmarks.peer.PeerLoad", "--brokers", brokers, "--topic", topic,
                "--payload", payload.toString(), "--source", Fixtures.SOURCE, "--threads", Integer.toString(threads),
                "--warmup", Long.toString(warmup.toSeconds()), "--seconds", Long.toString(measure.toSeconds())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(warmup.plus(measure).toSeconds() + 120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String resultLine = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("RESULT ")) {
                resultLine = line;
            }
        }
        if (resultLine == null) {
            throw new IllegalStateException("the peer printed no result, see " + log);
        }
        Map<String, String> f = new HashMap<>();
        for (String part : resultLine.substring("RESULT ".length()).split(" (?=[a-zA-Z0-9]+=)", -1)) {
            int eq = part.indexOf('=');
            f.put(part.substring(0, eq), part.substring(eq + 1));
        }
        long errors = Long.parseLong(f.get("errors"));
        Result r = new Result(scenario, threads, WHO, false, Long.parseLong(f.get("ops")),
                Double.parseDouble(f.get("seconds")), Long.parseLong(f.get("p50")), Long.parseLong(f.get("p99")),
                errors, errors == 0 ? "own JVM" : "own JVM; first error: " + f.getOrDefault("firstError", ""));
        ClosedLoop.print(r);
        return r;
    }
}
