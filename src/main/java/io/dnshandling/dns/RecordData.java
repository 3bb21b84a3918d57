package io.dnshandling.dns;

import com.google.common.net.InetAddresses;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One stored record in the form the API and the database use (type name, text value, optional
 * priority/weight/port), and its conversion to the wire record the server answers with.
 */
public record RecordData(Name name, String type, String value, long ttl, Integer priority, Integer weight, Integer port) {

    /** Longest TXT value accepted; split into 255-byte strings on the wire (RFC 1035 3.3.14). */
    public static final int MAX_TXT_BYTES = 4000;

    public Record toRecord() {
        return switch (type) {
            case "A" -> new ARecord(name, DClass.IN, ttl, ipv4(value));
            case "AAAA" -> new AAAARecord(name, DClass.IN, ttl, ipv6(value));
            case "CNAME" -> new CNAMERecord(name, DClass.IN, ttl, Zone.absolute(value));
            case "TXT" -> txt(name, ttl, value);
            case "MX" -> new MXRecord(name, DClass.IN, ttl, priority, Zone.absolute(value));
            case "SRV" -> new SRVRecord(name, DClass.IN, ttl, priority, weight, port, Zone.absolute(value));
            default -> throw new IllegalArgumentException("unsupported record type " + type);
        };
    }

    public static InetAddress ipv4(String value) {
        if (!InetAddresses.isInetAddress(value) || !(InetAddresses.forString(value) instanceof Inet4Address v4)) {
            throw new IllegalArgumentException("'" + value + "' is not an IPv4 address");
        }
        return v4;
    }

    public static InetAddress ipv6(String value) {
        if (!InetAddresses.isInetAddress(value) || !(InetAddresses.forString(value) instanceof Inet6Address v6)) {
            throw new IllegalArgumentException("'" + value + "' is not an IPv6 address");
        }
        return v6;
    }

    /**
     * A TXT record holding {@code value} byte for byte (UTF-8), in character-strings of at most
     * 255 bytes. Built from wire data, not from zone-file text, so a backslash is a backslash and
     * never starts an escape.
     */
    public static TXTRecord txt(Name name, long ttl, String value) {
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        for (String part : txtStrings(value)) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            rdata.write(bytes.length);
            rdata.writeBytes(bytes);
        }
        return (TXTRecord) Record.newRecord(name, Type.TXT, DClass.IN, ttl, rdata.toByteArray());
    }

    /** The text of a TXT record as served: its character-strings joined, read as UTF-8, no escapes. */
    public static String text(TXTRecord record) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Object part : record.getStringsAsByteArrays()) {
            joined.writeBytes((byte[]) part);
        }
        return joined.toString(StandardCharsets.UTF_8);
    }

    /** A TXT value as character-strings of at most 255 bytes each, split on UTF-8 boundaries. */
    public static List<String> txtStrings(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > 255) {
                out.add(current.toString());
                current.setLength(0);
                bytes = 0;
            }
            current.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        out.add(current.toString());
        return out;
    }
}
