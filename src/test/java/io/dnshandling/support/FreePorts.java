package io.dnshandling.support;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Loopback ports that are free for both UDP and TCP at the time of the call, chosen below the
 * kernel's ephemeral range (32768 and up on Linux): a port handed out there could meanwhile become
 * the source port of some other process's outgoing DNS query.
 */
public final class FreePorts {

    private FreePorts() {
    }

    private static final java.util.Random RANDOM = new java.util.Random();

    public static synchronized int udpAndTcp() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int candidate = 20000 + RANDOM.nextInt(12000);
            try (ServerSocket tcp = new ServerSocket(candidate, 50, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (IOException taken) {
                    // the UDP side is in use; try another
                }
            } catch (IOException taken) {
                // the TCP side is in use; try another
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP on loopback");
    }
}
