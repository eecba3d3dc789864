package studio.lerian.streaming.cdi.admin;

import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.internal.LogLine;

/**
 * The dead-letter re-drive as a command-line tool:
 *
 * <pre>
 * java -cp 'streaming-cdi.jar:streaming-api.jar:kafka-clients.jar:...' \
 *     studio.lerian.streaming.cdi.admin.RedriveCommand --topic lerian.streaming.transaction.created \
 *     --key t-abc --from 2026-04-18T10:00:00Z --to 2026-04-18T11:00:00Z --dry-run
 * </pre>
 *
 * <p>The cluster is reached with the library's own settings, as system properties ({@code -Dstreaming.brokers=...}) or
 * environment variables ({@code STREAMING_BROKERS}, {@code STREAMING_TLS_*}, {@code STREAMING_SASL_*},
 * {@code STREAMING_KAFKA_*}); {@code --brokers} replaces {@code STREAMING_BROKERS}. The operator written in the audit
 * line is the OS user ({@code user.name}) unless {@code --operator} names one. The result is printed as one
 * {@code key=value} line on standard output; the exit code is 0 when the run completed (a dry run, or a run stopped at
 * {@code --max}, included), 1 when it was refused or failed, 2 for a usage or configuration error.
 */
public final class RedriveCommand {

    /** Exit code of a completed run. */
    public static final int OK = 0;
    /** Exit code of a refused or failed run. */
    public static final int FAILED = 1;
    /** Exit code of wrong arguments or settings. */
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: RedriveCommand --topic <source topic> [options]
              --topic <t>               the source topic; its dead letters are read from <t>.dlq
              --key <k>                 re-drive only this partition key (repeat for more); default every key
              --from <ISO-8601>         only dead letters written at or after this time, e.g. 2026-04-18T10:00:00Z
              --to <ISO-8601>           only dead letters written before this time
              --start-offset <p>:<o>    start DLQ partition p at offset o (repeat; a previous run's next_offsets)
              --max <n>                 re-drive at most n records, then stop and print where to resume
              --dry-run                 read and report what would be sent; send nothing
              --accept-out-of-order     re-drive even behind newer events of the same key (skips the order check)
              --order-check-limit <n>   most source-topic records the order check reads (default 1000000)
              --brokers <host:port,..>  bootstrap servers (else STREAMING_BROKERS)
              --operator <name>         who runs it, for the audit line (default: the OS user)
            Cluster settings: the STREAMING_* and STREAMING_KAFKA_* environment variables (or -Dstreaming.* properties)
            of the library. Exit code: 0 done, 1 refused or failed, 2 usage or configuration error.""";

    private RedriveCommand() {
    }

    /**
     * Runs the tool and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.getProperties(), System.out, System.err));
    }

    /**
     * Runs the tool without exiting.
     *
     * @param args the command line
     * @param environment the environment variables to read the settings from
     * @param systemProperties the system properties to read the settings (and the OS user) from
     * @param out where the result goes
     * @param err where errors and the usage go
     * @return the exit code: {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(String[] args, Map<String, String> environment, Properties systemProperties,
            PrintStream out, PrintStream err) {
        String topic = null;
        String operator = systemProperties.getProperty("user.name");
        Properties properties = new Properties();
        properties.putAll(systemProperties);
        RedriveRequest request;
        try {
            java.util.List<String> keys = new java.util.ArrayList<>();
            Instant from = null;
            Instant to = null;
            Map<Integer, Long> offsets = new java.util.TreeMap<>();
            Long max = null;
            Long checkLimit = null;
            boolean dryRun = false;
            boolean accept = false;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                switch (flag) {
                    case "--dry-run" -> dryRun = true;
                    case "--accept-out-of-order" -> accept = true;
                    case "--help", "-h" -> {
                        out.println(USAGE_TEXT);
                        return OK;
                    }
                    default -> {
                        if (i + 1 >= args.length || !flag.startsWith("--")) {
                            throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value"
                                    : "unexpected argument " + LogLine.quoted(flag));
                        }
                        String value = args[++i];
                        switch (flag) {
                            case "--topic" -> topic = value;
                            case "--key" -> keys.add(value);
                            case "--from" -> from = instant(flag, value);
                            case "--to" -> to = instant(flag, value);
                            case "--start-offset" -> {
                                int colon = value.indexOf(':');
                                if (colon < 0) {
                                    throw new IllegalArgumentException("--start-offset " + LogLine.quoted(value)
                                            + " is not <partition>:<offset>");
                                }
                                long partition = number(flag, value.substring(0, colon));
                                if (partition < 0 || partition > Integer.MAX_VALUE) {
                                    throw new IllegalArgumentException("--start-offset " + LogLine.quoted(value)
                                            + ": no such partition");
                                }
                                offsets.put((int) partition, number(flag, value.substring(colon + 1)));
                            }
                            case "--max" -> max = number(flag, value);
                            case "--order-check-limit" -> checkLimit = number(flag, value);
                            case "--brokers" -> properties.setProperty(ConfigKey.BROKERS.property(), value);
                            case "--operator" -> operator = value;
                            default -> throw new IllegalArgumentException("unknown option " + LogLine.quoted(flag));
                        }
                    }
                }
            }
            RedriveRequest.Builder b = RedriveRequest.builder(topic, operator).keys(keys).from(from).to(to)
                    .startOffsets(offsets).dryRun(dryRun).acceptOutOfOrder(accept);
            if (max != null) {
                b.maxRecords(max);
            }
            if (checkLimit != null) {
                b.orderCheckLimit(checkLimit);
            }
            request = b.build();
        } catch (IllegalArgumentException | StreamingException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        DeadLetterRedrive redrive;
        try {
            redrive = new DeadLetterRedrive(RedriveSettings.fromEnvironment(environment, properties));
        } catch (StreamingException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        try {
            out.println(line(redrive.redrive(request)));
            return OK;
        } catch (RedriveException e) {
            out.println(line(e.result()));
            err.println("error: " + e.getMessage());
            return FAILED;
        } catch (StreamingException e) {
            err.println("error: " + e.getMessage());
            return e.code().isCallerError() ? USAGE : FAILED;
        }
    }

    /** The result as one line of {@code key=value} fields, values quoted when they need to be. */
    static String line(RedriveResult r) {
        return LogLine.of("redrive:").field("topic", r.topic()).field("dlq_topic", r.dlqTopic())
                .field("dry_run", r.dryRun()).field("read", r.read()).field("matched", r.matched())
                .field("sent", r.sent()).field("skipped", r.skippedText()).field("complete", r.complete())
                .field("next_offsets", r.nextOffsetsText())
                .field("out_of_order_keys", r.outOfOrderKeys().isEmpty() ? "none"
                        : String.join(",", r.outOfOrderKeys()))
                .toString();
    }

    private static Instant instant(String flag, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " " + LogLine.quoted(value)
                    + " is not an ISO-8601 time with an offset, e.g. 2026-04-18T10:00:00Z");
        }
    }

    private static Long number(String flag, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " " + LogLine.quoted(value) + " is not a number");
        }
    }
}
