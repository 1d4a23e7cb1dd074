package org.openzoep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Free loopback ports, found by binding port 0 on 127.0.0.1 and closing the socket again.
 *
 * <p>Limit: another process can take the port between this call and the server's bind. The
 * servers of this kit retry with a new port when their bind fails.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** A TCP port that was free on 127.0.0.1 just now. */
    public static int tcp() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free TCP port on loopback", e);
        }
    }

    /** {@code n} distinct TCP ports that were free on 127.0.0.1 just now. */
    public static int[] tcp(int n) {
        // Hold every socket until all are found so that the kernel cannot hand one out twice.
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find " + n + " free TCP ports on loopback", e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // Closing a listening socket that never accepted cannot lose anything.
                    }
                }
            }
        }
    }

    /** A UDP port that was free on 127.0.0.1 just now. */
    public static int udp() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free UDP port on loopback", e);
        }
    }
}
