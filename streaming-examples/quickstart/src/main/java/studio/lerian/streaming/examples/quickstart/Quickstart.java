package studio.lerian.streaming.examples.quickstart;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.support.KafkaBroker;

/**
 * The five-minute story: a payment service emits events for a few merchants; the broker dies; the circuit breaker
 * opens and events wait in the outbox, inside the application's own database; the broker returns; the relay drains
 * the outbox; a consumer reads the topic and checks that nothing was lost and every merchant's events are in order.
 *
 * <p>Runs on embedded defaults (a Kafka broker in this JVM, H2 in memory, Weld SE). Point it at your own with
 * {@code STREAMING_BROKERS} (the outage acts are then skipped: the demo cannot stop your broker) and
 * {@code -Ddemo.jdbc.url=...} (plus {@code demo.jdbc.user} and {@code demo.jdbc.password}). Sizes:
 * {@code -Ddemo.tenants=3 -Ddemo.events=60} (events per merchant per act).
 */
public final class Quickstart {

    private static final String TOPIC = "lerian.streaming.payment.captured";

    private final PrintStream out;
    private final int tenants;
    private final int eventsPerAct;
    private final long started = System.nanoTime();

    Quickstart(PrintStream out, int tenants, int eventsPerAct) {
        this.out = out;
        this.tenants = tenants;
        this.eventsPerAct = eventsPerAct;
    }

    /**
     * Runs the demo; fails (non-zero exit under Maven) unless every event reached Kafka in order.
     *
     * @param args ignored; see the class documentation for the properties
     */
    public static void main(String[] args) {
        quietLogs();
        Quickstart demo = new Quickstart(System.out, Integer.getInteger("demo.tenants", 3),
                Integer.getInteger("demo.events", 60));
        if (!demo.run()) {
            throw new IllegalStateException("the demo found lost or reordered events; see the summary above");
        }
    }

    /** @return whether nothing was lost and every tenant's order held */
    boolean run() {
        String userBrokers = userBrokers();
        out.printf("%nlib-streaming quickstart: %d merchants emit payment events; the broker dies and comes back.%n%n",
                tenants);
        try (KafkaBroker broker = userBrokers == null ? new KafkaBroker().start() : null;
                DemoDatabase db = DemoDatabase.open()) {
            String brokers = userBrokers == null ? broker.bootstrap() : userBrokers;
            if (broker != null) {
                broker.createTopic(TOPIC, 3, Map.of());
                say("Kafka broker started in this JVM at %s (KRaft, topic %s with 3 partitions)"
                        .formatted(brokers, TOPIC));
            } else {
                say("using your Kafka at %s (the outage acts are skipped)".formatted(brokers));
            }
            DemoConfigSource.VALUES.put("streaming.brokers", brokers);
            OutboxUnit.unit = db.unit();
            say("outbox table ready in %s".formatted(db.url()));
            ConfigProvider.getConfig(); // MicroProfile Config first, so CDI sees our defaults
            try (WeldContainer container = new Weld().initialize()) {
                Emitter emitter = container.select(Emitter.class).get();
                Payments payments = container.select(Payments.class).get();
                say("CDI container up: @Inject Emitter gave a %s".formatted(emitter.getClass().getSimpleName()));
                return story(payments, emitter, db, broker, brokers);
            }
        }
    }

    private boolean story(Payments payments, Emitter emitter, DemoDatabase db, KafkaBroker broker, String brokers) {
        Callers callers = new Callers(payments);

        act("1. The broker is up: events go straight to Kafka");
        callers.emitAct(eventsPerAct).await();
        say("%d events acknowledged by Kafka, %d in the outbox"
                .formatted(callers.acknowledged(), db.rows("PENDING") + db.rows("PUBLISHED")));

        if (broker != null) {
            act("2. The broker dies");
            broker.stop();
            say("broker stopped; health is now %s".formatted(emitter.health().state()));
            Callers.Run outage = callers.emitAct(eventsPerAct);
            long reported = -1;
            while (!outage.done()) {
                long parked = db.unpublished();
                if (parked != reported && callers.refusals() == 0) {
                    say("the first publishes wait for the broker (up to the 2 s delivery timeout)");
                } else if (parked != reported) {
                    say("publishes refused so far: %d (last: %s; each retried by its caller); parked in the outbox: %d"
                            .formatted(callers.refusals(), lastRefusal.get(), parked));
                }
                reported = parked;
                pause(Duration.ofMillis(700));
            }
            outage.await();
            say("circuit breaker open: emits return at once, their events wait in the outbox (%d rows pending)"
                    .formatted(db.unpublished()));

            act("3. The broker comes back: the relay drains the outbox, new events queue behind it in order");
            broker.start();
            say("broker restarted");
            Callers.Run recovery = callers.emitAct(eventsPerAct);
            while (!recovery.done() || db.unpublished() > 0) {
                say("outbox: %d pending, %d published by the relay"
                        .formatted(db.unpublished(), db.rows("PUBLISHED")));
                pause(Duration.ofMillis(700));
            }
            recovery.await();
            say("outbox drained: %d rows published by the relay; health is %s".formatted(db.rows("PUBLISHED"),
                    emitter.health().state()));
        }

        act("4. What a consumer sees");
        int emitted = callers.acknowledged();
        TopicReport report = TopicReport.read(brokers, TOPIC, emitted, Duration.ofSeconds(60));
        return summary(report, emitted, db);
    }

    private boolean summary(TopicReport report, int emitted, DemoDatabase db) {
        boolean ordered = true;
        out.println();
        out.println("   merchant      emitted  on Kafka  in order");
        for (int t = 0; t < tenants; t++) {
            String tenant = tenant(t);
            int onKafka = report.sequencesByTenant.getOrDefault(tenant, List.of()).size();
            boolean inOrder = report.inOrder(tenant);
            ordered &= inOrder;
            out.printf("   %-12s %8d %9d  %s%n", tenant, emitted / tenants, onKafka, inOrder ? "yes" : "NO");
        }
        out.printf("%n   emitted %d, on Kafka %d (unique ce-id), through the outbox %d, duplicates dropped %d%n",
                emitted, report.records, db.rows("PUBLISHED"), report.duplicates);
        if (report.sample != null) {
            out.printf("%n   one record, as a consumer sees it (partition %d, key %s):%n", report.sample.partition(),
                    new String(report.sample.key(), StandardCharsets.UTF_8));
            for (Header h : report.sample.headers()) {
                out.printf("     %s: %s%n", h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            out.printf("     value: %s%n", new String(report.sample.value(), StandardCharsets.UTF_8));
        }
        boolean complete = report.records == emitted;
        out.printf("%n%s%n%n", complete && ordered ? "RESULT: nothing lost, every merchant's order kept."
                : "RESULT: " + (complete ? "" : (emitted - report.records) + " events missing; ")
                        + (ordered ? "" : "order broken"));
        return complete && ordered;
    }

    /** One thread per merchant, each emitting its payments in order and retrying infrastructure errors. */
    private final class Callers {
        private final Payments payments;
        private final int[] next = new int[tenants];
        private final AtomicInteger acknowledged = new AtomicInteger();
        private final AtomicInteger refusals = new AtomicInteger();

        Callers(Payments payments) {
            this.payments = payments;
        }

        int acknowledged() {
            return acknowledged.get();
        }

        int refusals() {
            return refusals.get();
        }

        Run emitAct(int events) {
            ExecutorService pool = Executors.newFixedThreadPool(tenants);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < tenants; t++) {
                int tenantIndex = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < events; i++) {
                        emitWithRetry(tenant(tenantIndex), next[tenantIndex]++);
                    }
                    return null;
                }));
            }
            pool.shutdown();
            return new Run(pool, work);
        }

        private void emitWithRetry(String tenant, int sequence) {
            while (true) {
                try {
                    payments.captured(tenant, sequence);
                    acknowledged.incrementAndGet();
                    return;
                } catch (StreamingException e) {
                    if (StreamingErrors.isCallerError(e)) {
                        throw e; // a bug in the request: retrying cannot help
                    }
                    refusals.incrementAndGet(); // the broker is unreachable: same event again, same ce-id
                    lastRefusal.set(e instanceof EmitException ee ? ee.errorClass().wire() : e.code().name());
                }
            }
        }

        static final class Run {
            private final ExecutorService pool;
            private final List<Future<?>> work;

            Run(ExecutorService pool, List<Future<?>> work) {
                this.pool = pool;
                this.work = work;
            }

            boolean done() {
                return pool.isTerminated();
            }

            Run await() {
                try {
                    for (Future<?> f : work) {
                        f.get(5, TimeUnit.MINUTES);
                    }
                    return this;
                } catch (Exception e) {
                    throw new IllegalStateException("a merchant's caller failed: " + e.getMessage(), e);
                }
            }
        }
    }

    private final AtomicReference<String> lastRefusal = new AtomicReference<>("");

    /** The demo's logging.properties, unless the user gave java.util.logging a configuration of their own. */
    private static void quietLogs() {
        if (System.getProperty("java.util.logging.config.file") == null) {
            try (java.io.InputStream in = Quickstart.class.getResourceAsStream("/logging.properties")) {
                java.util.logging.LogManager.getLogManager().readConfiguration(in);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static String tenant(int index) {
        return "merchant-" + (char) ('a' + index);
    }

    private static String userBrokers() {
        String env = System.getenv("STREAMING_BROKERS");
        return env != null && !env.isBlank() ? env : System.getProperty("streaming.brokers");
    }

    private void act(String title) {
        out.printf("%n%s%n", title);
    }

    private void say(String line) {
        out.printf("   [%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // a progress line's rhythm, not a wait for a state
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
