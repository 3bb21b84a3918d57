package io.dnshandling.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import org.awaitility.Awaitility;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** A plain DNS client over loopback UDP and TCP, with full control of what is sent. */
public final class DnsClient {

    private final int port;

    public DnsClient(int port) {
        this.port = port;
    }

    public static Message query(String name, int type, Integer ednsPayload) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
            if (ednsPayload != null) {
                m.addRecord(new OPTRecord(ednsPayload, 0, 0, 0), Section.ADDITIONAL);
            }
            return m;
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public Message udp(String name, int type) {
        return parse(udp(query(name, type, null).toWire()));
    }

    public Message udp(Message query) {
        return parse(udp(query.toWire()));
    }

    /** Waits (bounded) until the server answers {@code name}/{@code type} over UDP with data. */
    public Message awaitAnswer(String name, int type) {
        return Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> udp(name, type), m -> m != null && !m.getSection(Section.ANSWER).isEmpty());
    }

    public Message tcp(String name, int type) {
        return parse(tcp(query(name, type, null).toWire()));
    }

    /** Sends raw bytes over UDP; the answer's bytes, or null when none came within a second. */
    public byte[] udp(byte[] wire) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(1000);
            socket.send(new DatagramPacket(wire, wire.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            byte[] buffer = new byte[65535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            return Arrays.copyOf(packet.getData(), packet.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends one length-prefixed message over a new TCP connection and reads one answer. */
    public byte[] tcp(byte[] wire) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            return readFrame(new DataInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] readFrame(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        byte[] answer = new byte[length];
        in.readFully(answer);
        return answer;
    }

    public int port() {
        return port;
    }

    public static Message parse(byte[] wire) {
        if (wire == null) {
            return null;
        }
        try {
            return new Message(wire);
        } catch (IOException e) {
            throw new IllegalStateException("unparseable answer", e);
        }
    }
}
