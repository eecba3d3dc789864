package studio.lerian.streaming.core.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;

/**
 * Asks the cluster to describe itself, with a short timeout: the broker-reachability half of health. Its Admin client
 * is made on the first ping. Thread-safe: making it and {@link #close()} exclude each other, and no client is made
 * after close, so a readiness probe that runs while the application stops cannot leave a client (its thread and, with
 * it, the application's class loader) behind.
 */
final class BrokerProbe implements AutoCloseable {

    /** The Go library's ping timeout. */
    static final Duration TIMEOUT = Duration.ofMillis(500);

    private final Map<String, Object> settings;
    private volatile Admin admin;
    private boolean closed;

    BrokerProbe(Map<String, Object> settings) {
        this.settings = settings;
    }

    /**
     * @throws Exception when the cluster did not answer within {@link #TIMEOUT}; {@link ErrorCode#EMITTER_CLOSED} after
     *         {@link #close()}
     */
    void ping() throws Exception {
        int ms = Math.toIntExact(TIMEOUT.toMillis());
        try {
            admin().describeCluster(new DescribeClusterOptions().timeoutMs(ms)).clusterId().get(ms, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (closed) {
                    throw new StreamingException(ErrorCode.EMITTER_CLOSED);
                }
                a = admin;
                if (a == null) {
                    a = Admin.create(settings);
                    admin = a;
                }
            }
        }
        return a;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
