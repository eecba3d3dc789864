package studio.lerian.streaming.core.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on the loopback address for the listeners of one test server (a broker's client and controller
 * ports, a proxy's port). Every port of one call is bound at the same time before any is released: picking them one by
 * one (bind to port 0, close, bind again) lets the operating system hand the same port out twice, and a broker given
 * two listeners on one port refuses to start.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * @param count how many ports
     * @return {@code count} distinct ports that were free a moment ago
     */
    public static int[] pick(int count) {
        List<ServerSocket> held = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a bound, never-accepted socket does not fail in practice; the port is free either way
                }
            }
        }
    }
}
