package io.dnshandling.dnsrecord;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the /dns endpoints. */
public final class DnsRecordViews {

    private DnsRecordViews() {
    }

    @Schema(name = "DnsRecordRequest", description = "A record to add; name relative to the served zone unless it ends with a dot or the zone's name")
    public record Create(
            @Schema(required = true, examples = "www") String name,
            @Schema(required = true, enumeration = {"A", "AAAA", "CNAME", "TXT", "MX", "SRV"}) String type,
            @Schema(required = true, examples = "192.0.2.10") String value,
            @Schema(description = "Seconds, 0-604800; default 300") Integer ttl,
            @Schema(description = "MX and SRV only, 0-65535") Integer priority,
            @Schema(description = "SRV only, 0-65535") Integer weight,
            @Schema(description = "SRV only, 0-65535") Integer port) {
    }

    @Schema(name = "DnsRecordKey", description = "Identifies the record to delete")
    public record Key(
            @Schema(required = true) String name,
            @Schema(required = true, enumeration = {"A", "AAAA", "CNAME", "TXT", "MX", "SRV"}) String type,
            @Schema(required = true) String value) {
    }

    @Schema(name = "DnsRecord")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(String id, String name, String type, String value, int ttl, Integer priority, Integer weight,
            Integer port, @JsonProperty("created_at") Instant createdAt) {

        public static View of(DnsRecord r) {
            return new View(r.id, r.name, r.type, r.value, r.ttl, r.priority, r.weight, r.port, r.createdAt);
        }
    }

    @Schema(name = "DnsRecordList")
    public record Listing(
            List<View> records,
            @JsonProperty("next_cursor") @Schema(nullable = true, description = "Pass as ?cursor= for the next page; null on the last page") String nextCursor) {
    }

    @Schema(name = "ResolvedRecord")
    public record Resolved(String name, String type, long ttl, String value) {
    }

    @Schema(name = "Resolution", description = "What the service's resolvers answer for a name")
    public record Resolution(
            String name,
            String type,
            @Schema(enumeration = {"NOERROR", "NODATA", "NXDOMAIN"}) String status,
            @Schema(description = "CNAMEs followed, in order") List<String> aliases,
            List<Resolved> records) {
    }
}
