package io.dnshandling.verification;

import io.dnshandling.dns.RecordData;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * What a lookup found at a name after following CNAMEs: the records of the type asked for, and
 * the aliases passed on the way. No records and {@code nameExists} false means NXDOMAIN; no
 * records with the name existing means NODATA. Resolver failures are {@link DnsLookupException}s.
 */
public record LookupAnswer(String queried, int type, List<Record> records, List<String> aliases, boolean nameExists) {

    /** TXT values, each record's strings joined as ACME validators join them. */
    public List<String> txtValues() {
        List<String> values = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof TXTRecord txt) {
                values.add(RecordData.text(txt));
            }
        }
        return values;
    }
}
