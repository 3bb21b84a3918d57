package io.dnshandling.dnsrecord;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A record served by the built-in DNS server, managed through /dns/records. */
@Entity
@Table(name = "dns_records")
public class DnsRecord extends PanacheEntityBase {

    @Id
    public String id;

    /** Absolute, lower-case, without the trailing dot. */
    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String type;

    /** Canonical text: an address, a target name without trailing dot, or TXT text. */
    @Column(nullable = false)
    public String value;

    @Column(nullable = false)
    public int ttl;

    public Integer priority;

    public Integer weight;

    public Integer port;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
