package io.dnshandling.delivery;

import io.dnshandling.acme.WorkerThreads;
import io.dnshandling.certificate.CertificateStore.Deliverable;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One HAProxy instance, kept through its runtime API: each certificate lives in memory as
 * {@code dns-handling/<domain>.pem}, bound to the configured crt-list with the domain as its SNI
 * filter. Every pass reads {@code show ssl cert} and {@code show ssl crt-list} and corrects what
 * differs, so an HAProxy that restarted (runtime changes live in memory only) is refilled in one
 * pass. Certificates this service did not name are never touched.
 */
final class HaproxyTarget implements DeliveryTarget {

    static final String PREFIX = "dns-handling/";
    /** Show commands joined with {@code ;} per connection. */
    static final int BATCH = 100;

    private final HaproxyRuntimeApi api;
    private final String crtList;
    private final WorkerThreads workers;

    HaproxyTarget(HaproxyRuntimeApi api, String crtList, WorkerThreads workers) {
        this.api = api;
        this.crtList = crtList;
        this.workers = workers;
    }

    @Override
    public String name() {
        return "haproxy:" + api.display();
    }

    static String certName(String domainName) {
        return PREFIX + domainName + ".pem";
    }

    @Override
    public Uni<Map<String, String>> sync(List<Bundle> desired, List<Deliverable> untouched) {
        return workers.run(() -> {
            Set<String> keep = new LinkedHashSet<>();
            untouched.forEach(d -> keep.add(certName(d.domainName())));
            Set<String> held = ours(lines(api.call("show ssl cert")));
            Set<String> listed = ours(firstWords(lines(api.call("show ssl crt-list " + crtList))));
            Map<String, String> serials = serials(held);
            Map<String, String> errors = new HashMap<>();
            Set<String> wanted = new LinkedHashSet<>();
            for (Bundle b : desired) {
                String name = certName(b.domainName());
                wanted.add(name);
                try {
                    if (!held.contains(name)) {
                        expect(api.call("new ssl cert " + name), "New empty certificate store");
                    }
                    if (!held.contains(name) || !sameSerial(serials.get(name), b.serial())) {
                        expect(api.call("set ssl cert " + name, b.pem()), "Transaction");
                        expect(api.call("commit ssl cert " + name), "Success");
                    }
                    if (!listed.contains(name)) {
                        expect(api.call("add ssl crt-list " + crtList, name + " [] " + String.join(" ", b.names())), "Success");
                    }
                } catch (IOException e) {
                    errors.put(b.domainId(), e.getMessage());
                }
            }
            for (String name : held) {
                if (!wanted.contains(name) && !keep.contains(name)) {
                    if (listed.contains(name)) {
                        expect(api.call("del ssl crt-list " + crtList + " " + name), "deleted");
                    }
                    expect(api.call("del ssl cert " + name), "deleted");
                }
            }
            return errors;
        });
    }

    /** The serial of each of {@code names}, as HAProxy reports it (hex). */
    private Map<String, String> serials(Set<String> names) throws IOException {
        Map<String, String> out = new HashMap<>();
        List<String> all = new ArrayList<>(names);
        for (int i = 0; i < all.size(); i += BATCH) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + BATCH));
            String answer = api.call(String.join(";", chunk.stream().map(n -> "show ssl cert " + n).toList()));
            String file = null;
            for (String line : lines(answer)) {
                if (line.startsWith("Filename: ")) {
                    file = line.substring("Filename: ".length()).strip().replaceFirst("^\\*", "");
                } else if (line.startsWith("Serial: ") && file != null) {
                    out.put(file, line.substring("Serial: ".length()).strip());
                }
            }
        }
        return out;
    }

    static boolean sameSerial(String haproxyHex, String storedHex) {
        if (haproxyHex == null || haproxyHex.isEmpty() || storedHex == null) {
            return false;
        }
        try {
            return new BigInteger(haproxyHex, 16).equals(new BigInteger(storedHex, 16));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void expect(String answer, String success) throws IOException {
        if (!answer.contains(success)) {
            throw new IOException("HAProxy answered: " + answer.strip().replace('\n', ' '));
        }
    }

    static List<String> lines(String answer) {
        return answer.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    static List<String> firstWords(List<String> lines) {
        return lines.stream().map(l -> l.split("\\s+", 2)[0]).toList();
    }

    static Set<String> ours(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            // "*name": a transaction left open for it (a pass that stopped between set and commit).
            String name = n.startsWith("*") ? n.substring(1) : n;
            if (name.startsWith(PREFIX)) {
                out.add(name);
            }
        }
        return out;
    }
}
