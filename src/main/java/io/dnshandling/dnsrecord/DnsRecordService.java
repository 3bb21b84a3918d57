package io.dnshandling.dnsrecord;

import com.google.common.net.InetAddresses;
import io.dnshandling.core.ConflictException;
import io.dnshandling.core.InvalidRequestException;
import io.dnshandling.core.NotFoundException;
import io.dnshandling.core.RandomIds;
import io.dnshandling.dns.Delegation;
import io.dnshandling.dns.DnsNames;
import io.dnshandling.dns.RecordData;
import io.dnshandling.dns.Zone;
import io.dnshandling.verification.DnsLookup;
import io.dnshandling.domain.DomainRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Owns the records served from the store: validates each one for its type, keeps the zone free
 * of CNAME conflicts (RFC 1034 3.6.2: a CNAME stands alone at its name), and answers what the
 * service's resolvers see for any name. Writes to one name are serialised with a transaction-
 * scoped advisory lock, so two concurrent requests cannot create a conflict between them.
 */
@ApplicationScoped
public class DnsRecordService {

    static final Set<String> TYPES = Set.of("A", "AAAA", "CNAME", "TXT", "MX", "SRV");
    static final Set<String> RESOLVABLE = Set.of("A", "AAAA", "CNAME", "TXT", "MX", "SRV", "NS", "SOA", "CAA", "PTR");
    static final int DEFAULT_TTL = 300;
    static final int MAX_TTL = 604800;

    private final Zone zone;
    private final DomainRepository domains;
    private final DnsLookup lookup;
    private final Clock clock;

    DnsRecordService(Zone zone, DomainRepository domains, DnsLookup lookup, Clock clock) {
        this.zone = zone;
        this.domains = domains;
        this.lookup = lookup;
        this.clock = clock;
    }

    static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 500;

    /** A page of the stored records: the records, and where the next page starts (null on the last). */
    public record Page(List<DnsRecord> records, String nextCursor) {
    }

    /** Stored records in name order (then id), {@code limit} at a time, after {@code cursor} when given. */
    public Uni<Page> list(String cursor, Integer limit) {
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            return Uni.createFrom().failure(new InvalidRequestException("limit must be between 1 and " + MAX_PAGE));
        }
        String[] after;
        try {
            after = cursor == null || cursor.isBlank() ? null : RecordCursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new InvalidRequestException("cursor is not one this service issued"));
        }
        return Panache.withSession(() -> (after == null
                ? DnsRecord.<DnsRecord>find("order by name, id")
                : DnsRecord.<DnsRecord>find("name > ?1 or (name = ?1 and id > ?2) order by name, id", after[0], after[1]))
                .page(0, size + 1).list())
                .map(found -> {
                    if (found.size() <= size) {
                        return new Page(found, null);
                    }
                    DnsRecord last = found.get(size - 1);
                    return new Page(found.subList(0, size), RecordCursor.encode(last.name, last.id));
                });
    }

    public Uni<DnsRecord> create(DnsRecordViews.Create request) {
        if (request == null) {
            return Uni.createFrom().failure(new InvalidRequestException("request body must be a JSON object with name, type and value"));
        }
        DnsRecord record = validate(request);
        Name name = absolute(record.name);
        String sub = Delegation.projectSubdomainOf(name, zone.origin());
        return Panache.withTransaction(() -> lockName(record.name)
                .chain(() -> sub == null ? Uni.createFrom().item(false) : domains.ownsProjectSubdomain(sub))
                .invoke(managed -> {
                    if (managed) {
                        throw new InvalidRequestException("name " + record.name + " is managed by the service for a registered domain");
                    }
                    if (Delegation.reservedLabelOf(name, zone.origin()) != null) {
                        throw new InvalidRequestException("name " + record.name + " is in the label space reserved for delegation targets "
                                + "(20 characters a-z and 2-7 directly under " + DnsNames.stored(zone.origin()) + ")");
                    }
                })
                .chain(() -> DnsRecord.<DnsRecord>list("name", record.name))
                .invoke(existing -> checkConflicts(record, existing))
                .chain(() -> record.<DnsRecord>persist()));
    }

    public Uni<DnsRecord> delete(DnsRecordViews.Key key) {
        if (key == null) {
            return Uni.createFrom().failure(new InvalidRequestException("request body must be a JSON object with name, type and value"));
        }
        String type = type(key.type());
        Name name = DnsNames.inZone(key.name(), zone.origin());
        String value = canonicalValue(type, key.value());
        String stored = DnsNames.stored(name);
        return Panache.withTransaction(() -> lockName(stored)
                .chain(() -> DnsRecord.find("name = ?1 and type = ?2 and value = ?3", stored, type, value).<DnsRecord>firstResult())
                .onItem().ifNull().failWith(() -> new NotFoundException("no " + type + " record " + stored + " with value '" + value + "'"))
                .call(DnsRecord::delete));
    }

    public Uni<DnsRecordViews.Resolution> resolve(String rawName, String rawType) {
        if (rawName == null || rawName.isBlank()) {
            return Uni.createFrom().failure(new InvalidRequestException("query parameter 'name' is required"));
        }
        Name name = DnsNames.absolute(rawName, "name");
        String typeName = rawType == null || rawType.isBlank() ? "A" : rawType.strip().toUpperCase(Locale.ROOT);
        if (!RESOLVABLE.contains(typeName)) {
            return Uni.createFrom().failure(new InvalidRequestException("type must be one of " + String.join(", ", RESOLVABLE.stream().sorted().toList())));
        }
        int type = Type.value(typeName);
        return lookup.lookup(name.toString(), type)
                .map(answer -> new DnsRecordViews.Resolution(name.toString(), typeName,
                        !answer.nameExists() ? "NXDOMAIN" : answer.records().isEmpty() ? "NODATA" : "NOERROR",
                        answer.aliases(),
                        answer.records().stream().map(r -> new DnsRecordViews.Resolved(r.getName().toString(), Type.string(r.getType()),
                                r.getTTL(), presentation(r))).toList()));
    }

    /** TXT as the plain text /dns/records stores; other types in zone-file presentation. */
    private static String presentation(Record r) {
        return r instanceof TXTRecord txt ? RecordData.text(txt) : r.rdataToString();
    }

    private DnsRecord validate(DnsRecordViews.Create request) {
        String type = type(request.type());
        Name name = DnsNames.inZone(request.name(), zone.origin());
        DnsRecord r = new DnsRecord();
        r.id = RandomIds.id();
        r.name = DnsNames.stored(name);
        r.type = type;
        r.value = canonicalValue(type, request.value());
        r.ttl = request.ttl() == null ? DEFAULT_TTL : request.ttl();
        if (r.ttl < 0 || r.ttl > MAX_TTL) {
            throw new InvalidRequestException("ttl must be between 0 and " + MAX_TTL + " seconds");
        }
        boolean mx = type.equals("MX");
        boolean srv = type.equals("SRV");
        if (!mx && !srv && request.priority() != null) {
            throw new InvalidRequestException("priority applies only to MX and SRV records");
        }
        if (!srv && (request.weight() != null || request.port() != null)) {
            throw new InvalidRequestException("weight and port apply only to SRV records");
        }
        if (mx || srv) {
            r.priority = required(request.priority(), "priority", type);
        }
        if (srv) {
            r.weight = required(request.weight(), "weight", type);
            r.port = required(request.port(), "port", type);
        }
        if (type.equals("CNAME") && name.equals(zone.origin())) {
            throw new InvalidRequestException("the zone apex cannot hold a CNAME record");
        }
        r.createdAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // The same conversion the DNS server applies: what is accepted here can be served.
        new RecordData(name, r.type, r.value, r.ttl, r.priority, r.weight, r.port).toRecord();
        return r;
    }

    private static void checkConflicts(DnsRecord candidate, List<DnsRecord> existing) {
        for (DnsRecord e : existing) {
            if (e.type.equals(candidate.type) && e.value.equals(candidate.value)) {
                throw new ConflictException("the " + e.type + " record " + e.name + " with value '" + e.value + "' already exists");
            }
            if (e.type.equals("CNAME") || candidate.type.equals("CNAME")) {
                throw new ConflictException(candidate.name + " already has records of type " + e.type + "; a CNAME cannot share its name with other records");
            }
        }
    }

    private static String type(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidRequestException("type is required");
        }
        String type = raw.strip().toUpperCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new InvalidRequestException("type must be one of A, AAAA, CNAME, TXT, MX, SRV");
        }
        return type;
    }

    static String canonicalValue(String type, String raw) {
        if (raw == null) {
            throw new InvalidRequestException("value is required");
        }
        try {
            return switch (type) {
                case "A" -> InetAddresses.toAddrString(RecordData.ipv4(raw.strip()));
                case "AAAA" -> InetAddresses.toAddrString(RecordData.ipv6(raw.strip()));
                case "TXT" -> {
                    if (raw.getBytes(StandardCharsets.UTF_8).length > RecordData.MAX_TXT_BYTES) {
                        throw new InvalidRequestException("TXT value is longer than " + RecordData.MAX_TXT_BYTES + " bytes");
                    }
                    yield raw;
                }
                default -> DnsNames.stored(DnsNames.absolute(raw, "value"));
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("value " + e.getMessage());
        }
    }

    private static int required(Integer value, String field, String type) {
        if (value == null) {
            throw new InvalidRequestException(field + " is required for " + type + " records");
        }
        if (value < 0 || value > 65535) {
            throw new InvalidRequestException(field + " must be between 0 and 65535");
        }
        return value;
    }

    private static Uni<Void> lockName(String name) {
        return DnsRecord.getSession().chain(s -> s.createNativeQuery(
                        "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(:name))) AS locked", Integer.class)
                .setParameter("name", name).getSingleResult()).replaceWithVoid();
    }

    private static Name absolute(String stored) {
        return DnsNames.absolute(stored, "name");
    }
}
