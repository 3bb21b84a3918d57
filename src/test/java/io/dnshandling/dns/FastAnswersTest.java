package io.dnshandling.dns;

import static io.dnshandling.dns.FastTestZone.NAMES;
import static io.dnshandling.dns.FastTestZone.TYPES;
import static io.dnshandling.dns.FastTestZone.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The bytes-only path answers exactly what dnsjava's full path answers (same header, same
 * records, same spelling, same TTLs), for every query it takes on; and it does take on the
 * common ones. A pure unit: a zone in memory, no server.
 */
class FastAnswersTest {

    private Zone zone;
    private DnsResponder responder;

    @BeforeEach
    void zone() throws Exception {
        zone = FastTestZone.zone();
        responder = new DnsResponder(zone, 1232);
    }

    @Test
    void every_query_the_fast_path_answers_is_answered_as_the_full_path_answers_it() throws Exception {
        Random random = new Random(20261127L);
        int fast = 0;
        int total = 0;
        for (String name : NAMES) {
            for (int type : TYPES) {
                for (int edns = 0; edns < 4; edns++) {
                    byte[] query = query(randomCase(name, random), type, edns, random.nextBoolean(), random);
                    total++;
                    if (compare(query)) {
                        fast++;
                    }
                }
            }
        }
        // Answers for names with data, without data, and below nothing all go the fast way.
        assertThat(fast).as("queries answered by the fast path").isGreaterThan(total / 3);
    }

    @Test
    void mutated_queries_answered_fast_match_the_full_path_too() throws Exception {
        Random random = new Random(7L);
        for (int i = 0; i < 20_000; i++) {
            byte[] query = query(NAMES[random.nextInt(NAMES.length)], TYPES[random.nextInt(TYPES.length)],
                    random.nextInt(4), random.nextBoolean(), random);
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                query[random.nextInt(query.length)] = (byte) random.nextInt(256);
            }
            compare(query);
        }
    }

    @Test
    void the_common_answers_take_the_fast_path() throws Exception {
        Random random = new Random(1L);
        FastAnswers fast = new FastAnswers(zone, 1232);
        assertThat(fast.answer(query("WWW.fast.test", Type.A, 0, true, random), false)).isNotNull();
        // The configured address of an in-zone name server is an RRset of the zone like any other.
        byte[] ns1 = fast.answer(query("ns1.fast.test", Type.A, 0, false, random), false);
        assertThat(new Message(ns1).getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.53");
        assertThat(fast.answer(query("missing.fast.test", Type.A, 2, false, random), false)).isNotNull();
        assertThat(fast.answer(query("ent.fast.test", Type.TXT, 1, false, random), false)).isNotNull();
        // A CNAME to follow, an answer too big for the client's buffer: the full path's work.
        assertThat(fast.answer(query("alias.fast.test", Type.A, 0, false, random), false)).isNull();
        assertThat(fast.answer(query("big.fast.test", Type.AAAA, 0, false, random), false)).isNull();
        assertThat(fast.answer(query("big.fast.test", Type.AAAA, 0, false, random), true)).isNotNull();
    }

    @Test
    void the_do_bit_is_echoed_in_the_response_opt_record_rfc_3225() throws Exception {
        Random random = new Random(2L);
        for (String name : List.of("www.fast.test", "alias.fast.test", "missing.fast.test")) {
            Message dnssecOk = new Message(responder.udp(query(name, Type.A, 3, false, random)));
            assertThat(dnssecOk.getOPT().getFlags() & ExtendedFlags.DO).as(name).isEqualTo(ExtendedFlags.DO);
            Message plain = new Message(responder.udp(query(name, Type.A, 1, false, random)));
            assertThat(plain.getOPT().getFlags() & ExtendedFlags.DO).as(name).isZero();
        }
    }

    @Test
    void answers_written_over_a_used_buffer_from_a_query_in_a_longer_one_are_the_answers_of_their_own() throws Exception {
        // The UDP loop reuses its two arrays: what an earlier, longer exchange left in them must
        // neither show in an answer nor be read as part of a query.
        Random random = new Random(11L);
        byte[] in = new byte[2048];
        byte[] out = new byte[1232];
        int fast = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] query = query(NAMES[random.nextInt(NAMES.length)], TYPES[random.nextInt(TYPES.length)],
                    random.nextInt(4), random.nextBoolean(), random);
            if (i % 2 == 1) {
                query[random.nextInt(query.length)] = (byte) random.nextInt(256);
            }
            random.nextBytes(in);
            if (i % 3 == 0) {
                random.nextBytes(out);
            }
            System.arraycopy(query, 0, in, 0, query.length);
            int n = responder.udp(in, query.length, out);
            byte[] own = responder.udp(query);
            assertThat(n == 0 ? null : Arrays.copyOf(out, n)).as(Arrays.toString(query)).isEqualTo(own);
            if (n > 0 && new FastAnswers(zone, 1232).answer(query, false) != null) {
                fast++;
            }
        }
        assertThat(fast).as("answers the fast path wrote over used bytes").isGreaterThan(5_000);
    }

    @Test
    void an_answer_larger_than_the_buffer_asks_for_the_length_it_needs() throws Exception {
        Random random = new Random(3L);
        FastAnswers fast = new FastAnswers(zone, 1232);
        byte[] query = query("big.fast.test", Type.AAAA, 0, false, random);
        byte[] whole = fast.answer(query, true);
        assertThat(whole.length).isGreaterThan(512);
        assertThat(fast.answer(query, query.length, true, new byte[512])).isEqualTo(-whole.length);
        byte[] exact = new byte[whole.length];
        assertThat(fast.answer(query, query.length, true, exact)).isEqualTo(whole.length);
        assertThat(exact).isEqualTo(whole);
    }

    /** Compares both paths on one query; true when the fast path answered it. */
    private boolean compare(byte[] query) throws Exception {
        byte[] full = responder.respondInFull(query, false);
        byte[] fast = new FastAnswers(zone, 1232).answer(query, false);
        if (fast == null) {
            return false;
        }
        assertThat(full).as("the full path answers what the fast path answers: %s", Arrays.toString(query)).isNotNull();
        assertThat(describe(new Message(fast))).as(Arrays.toString(query)).isEqualTo(describe(new Message(full)));
        assertThat(fast.length).isLessThanOrEqualTo(1232);
        return true;
    }

    /**
     * A message as text: header, question as asked, each record's owner as spelled, TTL, type and
     * data. The data is compared without case: dnsjava's encoder compresses names inside data
     * against the question, so they come out in the question's case; the fast path writes them
     * as stored. Both are the same names (RFC 4343).
     */
    private static String describe(Message m) {
        StringBuilder out = new StringBuilder();
        out.append("id ").append(m.getHeader().getID()).append(" flags ").append(m.getHeader().printFlags())
                .append(" opcode ").append(m.getHeader().getOpcode()).append(" rcode ").append(Rcode.string(m.getRcode()));
        OPTRecord opt = m.getOPT();
        if (opt != null) {
            out.append("\nopt ").append(opt.getPayloadSize()).append(' ').append(opt.getVersion()).append(' ')
                    .append(opt.getFlags()).append(' ').append(opt.getExtendedRcode()).append(' ').append(opt.getOptions());
        }
        for (int section : new int[] {Section.QUESTION, Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            out.append("\nsection ").append(section).append(" count ").append(m.getHeader().getCount(section));
            for (Record r : m.getSection(section)) {
                if (r.getType() == Type.OPT) {
                    continue;
                }
                out.append("\n  ").append(r.getName()).append(' ').append(Type.string(r.getType())).append(' ')
                        .append(DClass.string(r.getDClass()));
                if (section != Section.QUESTION) {
                    out.append(' ').append(r.getTTL()).append(' ').append(r.rdataToString().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out.toString();
    }

    private static String randomCase(String name, Random random) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return out.toString().toLowerCase(Locale.ROOT).equals(name) ? out.toString() : name;
    }

}
