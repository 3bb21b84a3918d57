package io.dnshandling.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server on loopback UDP, serving whatever records a test publishes. It
 * answers like an authoritative server for a zone that does not hold the CNAME target: a CNAME is
 * returned alone, so the client under test has to follow it with a second query. Names can also be
 * made to fail: SERVFAIL, REFUSED, or no answer at all.
 */
public final class TestDnsServer implements AutoCloseable {

    public enum Fault { SERVFAIL, REFUSED, SILENCE }

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Map<Name, Fault> faults = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public TestDnsServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "test-dns-server");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void txt(String name, String... values) {
        Name n = name(name);
        for (String value : values) {
            records.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>()).add(new TXTRecord(n, DClass.IN, 60, value));
        }
    }

    public void cname(String name, String target) {
        Name n = name(name);
        records.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>()).add(new CNAMERecord(n, DClass.IN, 60, name(target)));
    }

    /** An A record, so that a name exists without having TXT records (NODATA for TXT). */
    public void a(String name, String address) {
        Name n = name(name);
        try {
            records.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>())
                    .add(new org.xbill.DNS.ARecord(n, DClass.IN, 60, InetAddress.getByName(address)));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A CAA record (RFC 8659): flags, tag, value. */
    public void caa(String name, int flags, String tag, String value) {
        Name n = name(name);
        records.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>()).add(new org.xbill.DNS.CAARecord(n, DClass.IN, 60, flags, tag, value));
    }

    public void fail(String name, Fault fault) {
        faults.put(name(name), fault);
    }

    public void clear(String name) {
        records.remove(name(name));
        faults.remove(name(name));
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] answer = answer(query);
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private byte[] answer(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        Name qname = question.getName();
        Fault fault = faults.get(qname);
        if (fault == Fault.SILENCE) {
            return null;
        }
        if (fault != null) {
            response.getHeader().setRcode(fault == Fault.SERVFAIL ? Rcode.SERVFAIL : Rcode.REFUSED);
            return response.toWire();
        }
        List<Record> here = records.get(qname);
        if (here == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return response.toWire();
        }
        for (Record r : here) {
            if (r.getType() == Type.CNAME && question.getType() != Type.CNAME) {
                response.addRecord(r, Section.ANSWER);
                return response.toWire();
            }
        }
        for (Record r : here) {
            if (r.getType() == question.getType()) {
                response.addRecord(r, Section.ANSWER);
            }
        }
        return response.toWire();
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        socket.close();
    }
}
