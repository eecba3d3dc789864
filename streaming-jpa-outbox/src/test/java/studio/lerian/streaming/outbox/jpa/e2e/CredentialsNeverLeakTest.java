package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.BreakerState;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.cdi.support.SecuredKafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * The SASL password appears nowhere a failing run writes. Against a broker that requires SCRAM over TLS, the test goes
 * through the failures a deployment meets: a wrong password, a record the broker refuses (dead-lettered), the broker
 * going down (publish failures, the breaker opening, events parked in the outbox, relay attempts failing) and coming
 * back (the relay drains). It captures everything produced meanwhile: the text and stack trace of every exception
 * the callers got, every log record (the library's {@code System.Logger} records through a JUL handler, and the Kafka
 * client's SLF4J output through standard error and output), health messages, every header and value on the event
 * and dead-letter topics, and every column of every outbox row. Neither the right password nor the wrong one may
 * appear in any of it. The test also checks that it captured what it claims (each kind is non-empty), so an empty
 * capture cannot pass.
 */
class CredentialsNeverLeakTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final String USER = "ledger-svc";
    private static final String PASSWORD = "Scram-pw-5e0b27";
    private static final String WRONG_PASSWORD = "Wrong-pw-9a41c3";

    private final List<String> exceptions = new ArrayList<>();
    private final List<String> healthMessages = new ArrayList<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final StringBuilder logRecords = new StringBuilder();
    private final Handler logCapture = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            synchronized (logRecords) {
                logRecords.append(format.format(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private PrintStream originalErr;
    private PrintStream originalOut;
    private TestDatabase db;
    private SecuredKafkaBroker broker;

    @BeforeEach
    void start() throws SQLException {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(new Tee(originalErr, console), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut, console), true, StandardCharsets.UTF_8));
        Logger.getLogger("").addHandler(logCapture);
        logCapture.setLevel(Level.ALL);

        db = new TestDatabase.H2();
        db.applyShippedDdl();
        OutboxApplication.unit = db.factory();
        broker = new SecuredKafkaBroker(USER, PASSWORD).start();
        broker.createTopic(TOPIC, Map.of("max.message.bytes", "2000"));
        broker.createTopic(TOPIC + ".dlq", Map.of());
    }

    @AfterEach
    void stop() throws SQLException {
        Logger.getLogger("").removeHandler(logCapture);
        System.setErr(originalErr);
        System.setOut(originalOut);
        if (broker != null) {
            broker.close();
        }
        if (OutboxApplication.unit != null) {
            OutboxApplication.unit.close();
        }
        db.close();
    }

    @Test
    void noPasswordInExceptionsLogsHeadersOrOutboxRows() throws SQLException {
        Map<String, String> wrongPassword = config(WRONG_PASSWORD);
        wrongPassword.put("streaming.cb.min.requests", "1000"); // no breaker, no outbox: every emit meets the broker
        try (StreamingContainer wrong = StreamingContainer.start(wrongPassword, Fixture.Definitions.class,
                OutboxApplication.class)) {
            // Until the client has finished a TLS handshake and the SASL exchange, an emit may time out instead.
            await().atMost(Duration.ofSeconds(60)).until(() -> failing(wrong.emitter(), event("wrong-password", "{}"))
                    .errorClass() == ErrorClass.AUTH_ERROR);
            healthMessages.add(wrong.emitter().health().toString());
        }

        try (StreamingContainer app = StreamingContainer.start(config(PASSWORD), Fixture.Definitions.class,
                OutboxApplication.class)) {
            Emitter emitter = app.emitter();
            // The first emit may time out while the client connects (TLS handshake, SASL exchange) on a busy machine.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                try {
                    emitter.emit(event("published", "{}"));
                    return true;
                } catch (EmitException e) {
                    exceptions.add(stackTrace(e));
                    return false;
                }
            });
            // Over the topic's max.message.bytes: refused by the broker, copied to the dead-letter topic (by the
            // emit, or by the relay if a slow start already opened the breaker and the event was parked).
            try {
                emitter.emit(event("dead-lettered", "{\"blob\":\"" + letters(4000) + "\"}"));
            } catch (EmitException e) {
                exceptions.add(stackTrace(e));
            }

            broker.stop();
            KafkaEmitter kafka = (KafkaEmitter) emitter;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                try {
                    emitter.emit(event("while-down", "{}"));
                } catch (StreamingException e) {
                    exceptions.add(stackTrace(e));
                }
                return kafka.circuitState() == BreakerState.State.OPEN;
            });
            emitter.emit(event("parked", "{}"));
            healthMessages.add(emitter.health().toString());
            // The relay tries the parked rows against the dead broker and records why it failed.
            await().atMost(Duration.ofSeconds(60)).until(() -> db.count("SELECT COUNT(*) FROM lerian_streaming_outbox"
                    + " WHERE last_error IS NOT NULL") > 0);

            broker.start();
            await().atMost(Duration.ofMinutes(2)).until(() -> db.count("SELECT COUNT(*) FROM lerian_streaming_outbox"
                    + " WHERE status IN ('PENDING', 'PROCESSING')") == 0);
            healthMessages.add(emitter.health().toString());
        }

        String outboxRows = outboxRows();
        String eventRecords = records(TOPIC);
        String deadLetters = records(TOPIC + ".dlq");
        String logs;
        synchronized (logRecords) {
            logs = logRecords.toString();
        }
        String consoleText = console.toString(StandardCharsets.UTF_8);

        assertTrue(exceptions.size() >= 2, "exceptions captured: " + exceptions.size());
        assertTrue(deadLetters.contains("x-lerian-dlq-error-message"), "a DLQ record with its error headers");
        assertTrue(outboxRows.contains("last_error="), "outbox rows with the relay's errors");
        assertTrue(logs.contains("streaming:"), "the library's log records");
        assertTrue(consoleText.contains("org.apache.kafka"), "the Kafka client's log output");
        Map<String, String> produced = Map.of(
                "exception texts and stack traces", String.join("\n", exceptions),
                "health messages", String.join("\n", healthMessages),
                "log records", logs,
                "standard output and error", consoleText,
                "event topic records", eventRecords,
                "dead-letter records", deadLetters,
                "outbox rows", outboxRows);
        produced.forEach((what, text) -> {
            for (String secret : List.of(PASSWORD, WRONG_PASSWORD)) {
                int at = text.indexOf(secret);
                assertTrue(at < 0, () -> "a password in the " + what + ": ..."
                        + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 50)));
            }
        });
        originalOut.printf("credential leak check: %d exceptions, %d health messages, %d bytes of log records,"
                + " %d bytes of console output, %d bytes of topic records, %d bytes of DLQ records,"
                + " %d bytes of outbox rows; no password%n", exceptions.size(), healthMessages.size(), logs.length(),
                consoleText.length(), eventRecords.length(), deadLetters.length(), outboxRows.length());
    }

    private Map<String, String> config(String password) {
        Map<String, String> p = Fixture.config(broker.saslSslBootstrap());
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.tls.ca.cert", broker.authority().certificatePemBase64());
        p.put("streaming.sasl.mechanism", SecuredKafkaBroker.MECHANISM);
        p.put("streaming.sasl.username", USER);
        p.put("streaming.sasl.password", password);
        p.put("streaming.cb.min.requests", "2");
        p.put("streaming.cb.timeout.s", "600");
        p.put("streaming.record.delivery.timeout.s", "2");
        p.put("streaming.outbox.poll.interval.ms", "100");
        p.put("streaming.outbox.backoff.initial.ms", "100");
        p.put("streaming.outbox.max.attempts", "1000");
        return p;
    }

    private EmitException failing(Emitter emitter, EmitRequest request) {
        EmitException e = assertThrows(EmitException.class, () -> emitter.emit(request));
        exceptions.add(stackTrace(e));
        return e;
    }

    private static EmitRequest event(String subject, String payload) {
        return EmitRequest.builder("transaction.created").tenantId("t-" + subject).subject(subject).payload(payload)
                .build();
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Every column of every row, as {@code name=value} text (the envelope decoded as UTF-8). */
    private String outboxRows() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM lerian_streaming_outbox")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                            : String.valueOf(value);
                    out.append(meta.getColumnName(i).toLowerCase(Locale.ROOT)).append('=').append(text).append(' ');
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Every header and value of a topic, read through the broker's plain listener. */
    private String records(String topic) {
        StringBuilder out = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.plainBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "leak-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && (out.length() == 0 || empty < 3)) {
                int before = out.length();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    for (Header h : r.headers()) {
                        out.append(h.key()).append('=').append(h.value() == null ? "" : new String(h.value(),
                                StandardCharsets.UTF_8)).append(' ');
                    }
                    out.append("value=").append(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8))
                            .append('\n');
                }
                empty = out.length() == before ? empty + 1 : 0;
            }
        }
        return out.toString();
    }

    private static String letters(int n) {
        Random random = new Random(7);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    /** Writes to the console as before and into the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
        }
    }
}
