package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class NameserverAddressesTest {

    static final Name ORIGIN = Zone.absolute("acme.example.net");
    static final Name NS1 = Zone.absolute("ns1.acme.example.net");
    static final Name NS2 = Zone.absolute("ns2.acme.example.net");
    static final Name OUTSIDE = Zone.absolute("ns.provider.example");
    static final List<Name> NAMESERVERS = List.of(NS1, NS2, OUTSIDE);

    @Test
    void each_pair_becomes_an_a_or_aaaa_record_at_its_name_server() {
        NameserverAddresses a = NameserverAddresses.of(List.of("ns1.acme.example.net=192.0.2.53", "NS1.acme.example.net.=192.0.2.54",
                "ns2.acme.example.net=2001:db8::53", "ns2.acme.example.net=[2001:db8::54]"), ORIGIN, NAMESERVERS, 3600);

        assertThat(a.byName().get(NS1)).extracting(Record::getType, Record::rdataToString)
                .containsExactly(tuple(Type.A, "192.0.2.53"), tuple(Type.A, "192.0.2.54"));
        assertThat(a.byName().get(NS2)).extracting(Record::getType, Record::rdataToString)
                .containsExactly(tuple(Type.AAAA, "2001:db8:0:0:0:0:0:53"),
                        tuple(Type.AAAA, "2001:db8:0:0:0:0:0:54"));
        assertThat(a.byName().get(NS1)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(3600));
        assertThat(a.warning()).isNull();
    }

    @Test
    void an_in_zone_name_server_without_an_address_is_warned_about_and_one_outside_is_not() {
        NameserverAddresses a = NameserverAddresses.of(List.of("ns1.acme.example.net=192.0.2.53"), ORIGIN, NAMESERVERS, 3600);

        assertThat(a.unaddressed()).containsExactly(NS2);
        assertThat(a.warning()).contains("ns2.acme.example.net.").contains("DNS_SERVER_NAMESERVER_ADDRESSES").doesNotContain("provider");
        assertThat(NameserverAddresses.of(List.of(), ORIGIN, List.of(OUTSIDE), 3600).warning()).isNull();
    }

    @Test
    void a_malformed_pair_a_non_literal_address_or_a_name_that_is_not_an_in_zone_name_server_stops_the_start() {
        assertThatThrownBy(() -> NameserverAddresses.of(List.of("ns1.acme.example.net"), ORIGIN, NAMESERVERS, 3600))
                .hasMessageContaining("DNS_SERVER_NAMESERVER_ADDRESSES").hasMessageContaining("name=address");
        assertThatThrownBy(() -> NameserverAddresses.of(List.of("ns1.acme.example.net="), ORIGIN, NAMESERVERS, 3600))
                .hasMessageContaining("name=address");
        assertThatThrownBy(() -> NameserverAddresses.of(List.of("ns1.acme.example.net=ns.elsewhere.example"), ORIGIN, NAMESERVERS, 3600))
                .hasMessageContaining("not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> NameserverAddresses.of(List.of("ns1.acme.example.net=192.0.2.300"), ORIGIN, NAMESERVERS, 3600))
                .hasMessageContaining("not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> NameserverAddresses.of(List.of("ns9.acme.example.net=192.0.2.1"), ORIGIN, NAMESERVERS, 3600))
                .hasMessageContaining("not one of the zone's name servers").hasMessageContaining("DNS_SERVER_NAMESERVERS");
        assertThatThrownBy(() -> NameserverAddresses.of(List.of("ns.provider.example=192.0.2.1"), ORIGIN, NAMESERVERS, 3600))
                .hasMessageContaining("outside acme.example.net.");
    }

    @Test
    void at_a_name_server_the_configured_addresses_replace_stored_ones_and_other_names_keep_theirs() throws Exception {
        NameserverAddresses a = NameserverAddresses.of(List.of("ns1.acme.example.net=192.0.2.53"), ORIGIN, NAMESERVERS, 3600);
        Record storedA = new ARecord(NS1, DClass.IN, 60, InetAddress.getByName("198.51.100.7"));
        Record storedTxt = new TXTRecord(NS1, DClass.IN, 60, "kept");
        Record elsewhere = new ARecord(NS2, DClass.IN, 60, InetAddress.getByName("198.51.100.8"));

        assertThat(a.at(NS1, List.of(storedA, storedTxt))).containsExactly(a.byName().get(NS1).get(0), storedTxt);
        assertThat(a.byName().get(NS1).get(0).rdataToString()).isEqualTo("192.0.2.53");
        assertThat(a.at(NS2, List.of(elsewhere))).containsExactly(elsewhere);
    }
}
