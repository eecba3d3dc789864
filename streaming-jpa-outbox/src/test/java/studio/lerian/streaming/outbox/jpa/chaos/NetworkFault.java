package studio.lerian.streaming.outbox.jpa.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.core.throttle.ThrottlerFactory;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * A TCP proxy in the test JVM (netcrusher) between the library and a broker, that can break the network the ways real
 * networks break: {@link #blackhole()} keeps the proxy's port open and its connections up but passes nothing either
 * way (new connections are completed by the kernel and then never served, as behind a firewall that drops packets);
 * {@link #slow(Duration)} delays every chunk of data either way; {@link #heal()} lets data flow freely again, on the
 * connections that survived and on new ones.
 */
final class NetworkFault implements AutoCloseable {

    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final SwitchableDelay delay = new SwitchableDelay();

    /**
     * Opens the proxy.
     *
     * @param listenPort the proxy's port on 127.0.0.1 (what the broker advertises)
     * @param targetPort the broker's port on 127.0.0.1
     */
    NetworkFault(int listenPort, int targetPort) {
        try {
            reactor = new NioReactor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        crusher = TcpCrusherBuilder.builder().withReactor(reactor)
                .withBindAddress("127.0.0.1", listenPort)
                .withConnectAddress("127.0.0.1", targetPort)
                .withIncomingThrottlerFactory(delay)
                .withOutgoingThrottlerFactory(delay)
                .buildAndOpen();
    }

    /** Passes nothing: the acceptor and every connection freeze, nothing is closed. */
    void blackhole() {
        crusher.freeze();
    }

    /** Delays every chunk of data, either way, by {@code perChunk}. */
    void slow(Duration perChunk) {
        delay.nanos = perChunk.toNanos();
    }

    /** Data flows freely again. */
    void heal() {
        delay.nanos = Throttler.NO_DELAY_NS;
        if (crusher.isFrozen()) {
            crusher.unfreeze();
        }
    }

    @Override
    public void close() {
        crusher.close();
        reactor.close();
    }

    /**
     * netcrusher fixes a connection's throttler when the connection is accepted, and its own delay throttler has a
     * fixed delay: this one reads the delay of the moment, so a link can turn slow and heal while connections live.
     */
    private static final class SwitchableDelay implements ThrottlerFactory {

        private static final long serialVersionUID = 1L;

        private volatile long nanos = Throttler.NO_DELAY_NS;

        @Override
        public Throttler allocate(java.net.InetSocketAddress client) {
            return buffer -> nanos;
        }
    }
}
