package studio.lerian.streaming.cdi.internal.outbox;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The relay's single polling thread. A daemon thread of our own: the relay does one thing at a time and owns its
 * lifecycle (it stops with the emitter), so it needs neither a pool nor the container's managed executor, whose
 * availability and lookup name differ between runtimes.
 */
public final class RelayScheduler {

    private RelayScheduler() {
    }

    /**
     * @param relayId names the thread
     * @return a single-thread scheduler running a daemon thread
     */
    public static ScheduledExecutorService create(String relayId) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "streaming-outbox-relay-" + relayId);
            t.setDaemon(true);
            return t;
        });
    }
}
