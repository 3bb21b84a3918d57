package io.dnshandling.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a domain is in its lifecycle, and the one table of the moves allowed between states.
 *
 * <pre>
 * pending --verify--> verified --issue--> certificate_pending --stored--> active
 * failed  --verify--> verified            certificate_pending --error---> failed
 * active (re-issue and renewal keep it active while a new order runs)
 * </pre>
 */
public enum DomainStatus {
    PENDING,
    VERIFIED,
    CERTIFICATE_PENDING,
    ACTIVE,
    FAILED;

    /** The states a domain in this state may move to. */
    public Set<DomainStatus> next() {
        return switch (this) {
            case PENDING, FAILED -> EnumSet.of(VERIFIED);
            case VERIFIED -> EnumSet.of(CERTIFICATE_PENDING);
            case CERTIFICATE_PENDING -> EnumSet.of(ACTIVE, FAILED);
            case ACTIVE -> EnumSet.noneOf(DomainStatus.class);
        };
    }

    public boolean canMoveTo(DomainStatus target) {
        return next().contains(target);
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DomainStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Stores the wire form, so the database reads the same as the API. */
    @Converter(autoApply = true)
    public static class DbConverter implements AttributeConverter<DomainStatus, String> {
        @Override
        public String convertToDatabaseColumn(DomainStatus status) {
            return status == null ? null : status.wire();
        }

        @Override
        public DomainStatus convertToEntityAttribute(String value) {
            return value == null ? null : fromWire(value);
        }
    }
}
