package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The table of names against a plain model, through thousands of random writes: every name is
 * found exactly when it holds data or has data below it (an empty non-terminal), with the data
 * last written, whatever the case it is asked in; the table grows and reuses removed slots
 * without losing a name. A pure unit.
 */
class ZoneNamesTest {

    private static final Name ORIGIN = Zone.absolute("names.test");

    @Test
    void random_writes_leave_the_table_equal_to_the_model() throws Exception {
        Random random = new Random(42);
        List<Name> universe = new ArrayList<>();
        for (String a : List.of("a", "b", "c", "d")) {
            universe.add(Zone.absolute(a + ".names.test"));
            for (String b : List.of("x", "y", "z")) {
                universe.add(Zone.absolute(b + "." + a + ".names.test"));
                for (String c : List.of("p", "q")) {
                    universe.add(Zone.absolute(c + "." + b + "." + a + ".names.test"));
                }
            }
        }
        ZoneNames names = new ZoneNames(ORIGIN, 0);
        Map<Name, Integer> model = new HashMap<>(); // name -> last octet of its A record
        for (int step = 0; step < 5000; step++) {
            Name name = universe.get(random.nextInt(universe.size()));
            if (random.nextInt(3) == 0) {
                names.set(name, List.of());
                model.remove(name);
            } else {
                int octet = random.nextInt(250) + 1;
                names.set(name, List.of(new ARecord(name, DClass.IN, 60, InetAddress.getByName("192.0.2." + octet))));
                model.put(name, octet);
            }
            for (Name n : universe) {
                byte[] e = names.find(askedInUpperCase(n));
                boolean below = model.keySet().stream().anyMatch(m -> !m.equals(n) && m.subdomain(n));
                if (model.containsKey(n)) {
                    assertThat(e).as("step %d: %s holds data", step, n).isNotNull();
                    List<Record> a = new Node(e).get(n, Type.A);
                    assertThat(((ARecord) a.get(0)).getAddress().getHostAddress()).isEqualTo("192.0.2." + model.get(n));
                } else if (below) {
                    assertThat(e).as("step %d: %s is an empty non-terminal", step, n).isNotNull();
                    assertThat(Node.hasData(e)).isFalse();
                } else {
                    assertThat(e).as("step %d: %s does not exist", step, n).isNull();
                }
                if (e != null) {
                    assertThat(Node.below(e) > 0).as("step %d: %s has names below", step, n).isEqualTo(below);
                }
            }
            assertThat(names.size()).isEqualTo(model.size());
        }
    }

    @Test
    void many_names_grow_the_table_and_removed_ones_stay_gone() throws Exception {
        ZoneNames names = new ZoneNames(ORIGIN, 0);
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            Name name = Zone.absolute("h" + i + ".names.test");
            names.set(name, List.of(new ARecord(name, DClass.IN, 60, InetAddress.getByName("192.0.2.1"))));
        }
        for (int i = 0; i < n; i += 2) {
            names.set(Zone.absolute("h" + i + ".names.test"), List.of());
        }
        for (int i = 0; i < n; i++) {
            byte[] e = names.find(Zone.absolute("h" + i + ".names.test"));
            assertThat(e != null).as("h%d", i).isEqualTo(i % 2 == 1);
        }
        assertThat(names.size()).isEqualTo(n / 2);
    }

    private static Name askedInUpperCase(Name name) throws Exception {
        return Name.fromString(name.toString().toUpperCase(java.util.Locale.ROOT));
    }
}
