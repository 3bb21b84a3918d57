import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The floor of issuance on this machine: the least a client must do to get a certificate from the
 * same Pebble through the same resolver, with nothing else in the way. One process, acme4j, the
 * dns-01 values kept in a map and served by a bare UDP responder for ZONE, polling every 10 ms;
 * no database, no queue, no restart safety. bench/issuance/run.sh runs it beside the service.
 *
 * <p>Usage: java -cp 'target/dns-handling-runner.jar' bench/issuance/Floor.java DIRECTORY DNS_PORT
 * ZONE SEQUENTIAL_NAMES_FILE CONCURRENT_NAMES_FILE WARM_BATCHES. For each customer name N, the customer's
 * {@code _acme-challenge.N} is a CNAME to {@code _acme-challenge.N.ZONE}, as a delegated domain's
 * is; the concurrent names are first issued WARM_BATCHES times as "warmK-N", uncounted. Prints
 * "sequential_ms ..." (one line per certificate) and "ready", then runs the counted rounds of the
 * concurrent names that standard input asks for (see main).
 */
public class Floor {

    private static final Map<Name, String> TXT = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider()); // acme4j makes its keys with it
        String directory = args[0];
        int dnsPort = Integer.parseInt(args[1]);
        Name zone = Name.fromString(args[2].endsWith(".") ? args[2] : args[2] + ".");
        List<String> sequential = Files.readAllLines(Path.of(args[3]));
        List<String> concurrent = Files.readAllLines(Path.of(args[4]));
        int warmBatches = Integer.parseInt(args[5]);
        serveDns(dnsPort, zone);

        Session session = new Session(URI.create(directory));
        Account account = new AccountBuilder().agreeToTermsOfService().useKeyPair(KeyPairUtils.createECKeyPair("secp256r1"))
                .create(session);
        issue(account, zone, "warm-" + sequential.get(0)); // the JIT and the connection pool; not counted

        ExecutorService pool = Executors.newFixedThreadPool(concurrent.size());
        // The same batch under other names first, as many times as the service gets: the JIT
        // compiles what running many at once needs, and only the batch after them is counted.
        for (int k = 1; k <= warmBatches; k++) {
            String prefix = "warm" + k + "-";
            runAll(pool, concurrent.stream().map(name -> prefix + name).toList(), account, zone);
        }
        StringBuilder out = new StringBuilder("sequential_ms");
        for (String name : sequential) {
            long t0 = System.nanoTime();
            issue(account, zone, name);
            out.append(' ').append((System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println(out);

        System.out.println("ready");
        System.out.flush();

        // Counted rounds, each on command: a line PREFIX on standard input issues the concurrent
        // names as PREFIX-N at once and answers "round PREFIX MS CPU_MS JIT_MS"; "end" ends. The
        // run asks for them between the service's own rounds, so both sides meet the machine's
        // changing load alike.
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String prefix = commands.readLine(); prefix != null && !prefix.equals("end"); prefix = commands.readLine()) {
            String p = prefix;
            long cpu0 = os.getProcessCpuTime();
            long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long t0 = System.nanoTime();
            runAll(pool, concurrent.stream().map(name -> p + "-" + name).toList(), account, zone);
            System.out.println("round " + prefix + " " + (System.nanoTime() - t0) / 1_000_000 + " " + (os.getProcessCpuTime() - cpu0) / 1_000_000
                    + " " + (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0));
            System.out.flush();
        }
        pool.shutdownNow();
        System.exit(0);
    }

    /** A certificate for each of {@code names}, all at once on {@code pool}; returns when all are issued. */
    private static void runAll(ExecutorService pool, List<String> names, Account account, Name zone) throws Exception {
        List<Future<?>> all = new ArrayList<>();
        for (String name : names) {
            all.add(pool.submit(() -> {
                issue(account, zone, name);
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
    }

    /** One certificate for {@code domain}: order, dns-01 value published, validated, finalized, downloaded. */
    private static void issue(Account account, Name zone, String domain) throws Exception {
        Order order = account.newOrder().domain(domain).create();
        for (Authorization auth : order.getAuthorizations()) {
            Dns01Challenge challenge = auth.findChallenge(Dns01Challenge.class).orElseThrow();
            TXT.put(Name.fromString("_acme-challenge." + domain + "." + zone), challenge.getDigest());
            challenge.trigger();
            while (auth.getStatus() != Status.VALID) {
                if (auth.getStatus() == Status.INVALID) {
                    throw new IllegalStateException(domain + ": authorization invalid: " + challenge.getError());
                }
                Thread.sleep(10);
                auth.fetch();
            }
        }
        KeyPair key = KeyPairUtils.createECKeyPair("secp256r1");
        order.execute(key);
        while (order.getStatus() != Status.VALID) {
            if (order.getStatus() == Status.INVALID) {
                throw new IllegalStateException(domain + ": order invalid: " + order.getError());
            }
            Thread.sleep(10);
            order.fetch();
        }
        order.getCertificate().download();
        if (order.getCertificate().getCertificateChain().isEmpty()) {
            throw new IllegalStateException(domain + ": no certificate");
        }
    }

    /** TXT answers for ZONE from the map, NXDOMAIN otherwise; UDP only, enough for a resolver. */
    private static void serveDns(int port, Name zone) throws IOException {
        DatagramSocket socket = new DatagramSocket(port, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[1500];
            while (true) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    Record question = query.getQuestion();
                    Message answer = new Message(query.getHeader().getID());
                    answer.getHeader().setFlag(Flags.QR);
                    answer.getHeader().setFlag(Flags.AA);
                    answer.addRecord(question, Section.QUESTION);
                    Name qname = Name.fromString(question.getName().toString().toLowerCase(Locale.ROOT));
                    String value = TXT.get(qname);
                    if (value != null && question.getType() == Type.TXT) {
                        answer.addRecord(new TXTRecord(question.getName(), DClass.IN, 0, value), Section.ANSWER);
                    } else if (value == null && !qname.equals(zone)) {
                        answer.getHeader().setRcode(Rcode.NXDOMAIN);
                    }
                    byte[] wire = answer.toWire(512);
                    socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                } catch (Exception e) {
                    System.err.println("dns: " + e);
                }
            }
        }, "floor-dns");
        thread.setDaemon(true);
        thread.start();
    }
}
