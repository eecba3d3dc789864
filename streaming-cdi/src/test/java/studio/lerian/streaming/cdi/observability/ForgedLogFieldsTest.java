package studio.lerian.streaming.cdi.observability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * A tenant id and an event id may hold spaces, {@code =}, quotes and U+2028: written into the library's
 * {@code key=value} log lines they must stay one field's value, never a field of their own nor the start of a new line.
 * The line under test is the real one of a failed dead-letter copy: the source topic refuses the record for its size
 * and the broker has no dead-letter topic and creates none.
 */
class ForgedLogFieldsTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    /** A field value as logfmt writes it: bare, or quoted with backslash escapes. */
    private static final Pattern FIELD = Pattern.compile(" ([a-z_]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|[^ \"]*)");

    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = new KafkaBroker(Map.of("auto.create.topics.enable", "false")).start();
        broker.createTopic(TOPIC, 1, Map.of("max.message.bytes", "1000"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void forgedTenantAndEventIdsStayInsideTheirOwnFields() {
        String tenant = "t-1 outcome=produced error_class=none\u2028streaming: circuit closed producer_id=x";
        String eventId = "e-1\" dlq_topic=\"elsewhere";
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jul = Logger.getLogger("studio.lerian.streaming");
        jul.addHandler(capture);
        try (StreamingContainer app = StreamingContainer.start(Fixture.config(broker.bootstrap()),
                Fixture.Definitions.class)) {
            assertThrows(EmitException.class, () -> app.emitter().emit(EmitRequest.builder("transaction.created")
                    .tenantId(tenant).eventId(eventId).payload(incompressibleJson()).build()));
            await().atMost(Duration.ofSeconds(20)).until(() -> dlqFailed(logged) != null);
        } finally {
            jul.removeHandler(capture);
        }

        String line = dlqFailed(logged).getMessage();
        assertFalse(line.contains("\u2028") || line.contains("\n") || line.contains("\r"), "one line: " + line);
        Map<String, Integer> counts = new java.util.HashMap<>();
        Map<String, String> fields = new java.util.HashMap<>();
        Matcher m = FIELD.matcher(line);
        int end = line.indexOf(' ', "streaming: DLQ publish failed".length());
        assertEquals("streaming: DLQ publish failed", line.substring(0, end), line);
        while (m.find()) {
            assertEquals(end, m.start(), "every part after the message is one field: " + line);
            end = m.end();
            counts.merge(m.group(1), 1, Integer::sum);
            fields.put(m.group(1), unquote(m.group(2)));
        }
        assertEquals(line.length(), end, "nothing after the last field: " + line);
        counts.forEach((name, n) -> assertEquals(1, n, name + " appears " + n + " times: " + line));
        assertEquals(tenant, fields.get("tenant_id"), line);
        assertEquals(eventId, fields.get("event_id"), line);
        assertEquals("dlq_publish_failed", fields.get("outcome"), line);
        assertEquals("serialization_error", fields.get("error_class"), line);
        assertEquals(TOPIC + ".dlq", fields.get("dlq_topic"), line);
        assertTrue(dlqFailed(logged).getLevel().intValue() >= Level.SEVERE.intValue());
    }

    /** Random text, so that compression cannot bring the record under the topic's limit. */
    private static String incompressibleJson() {
        byte[] random = new byte[3000];
        new java.security.SecureRandom().nextBytes(random);
        return "{\"pad\":\"" + java.util.Base64.getEncoder().encodeToString(random) + "\"}";
    }

    private static LogRecord dlqFailed(List<LogRecord> logged) {
        return logged.stream().filter(r -> r.getMessage() != null
                && r.getMessage().startsWith("streaming: DLQ publish failed")).findFirst().orElse(null);
    }

    private static String unquote(String value) {
        if (!value.startsWith("\"")) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = value.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(value.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
