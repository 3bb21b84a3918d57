package io.dnshandling.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ACME settings: {@code ACME_DIRECTORY}, {@code ACME_EMAIL}, {@code ACME_TRUST_CERT}, {@code ACME_EAB_*}, … */
@ConfigMapping(prefix = "acme")
public interface AcmeConfig {

    /** The CA's directory URL, or {@code acme://pebble/host:port} for a local Pebble. */
    @WithDefault("https://acme-v02.api.letsencrypt.org/directory")
    String directory();

    /** Account contact address. */
    Optional<String> email();

    /** PEM file of a CA certificate to trust for the ACME server itself (test CAs). */
    Optional<String> trustCert();

    /** External account binding key id, for CAs that require one. */
    Optional<String> eabKid();

    /** External account binding HMAC key (base64url). */
    Optional<String> eabHmacKey();

    /** Key of issued certificates: {@code ec-p256}, {@code ec-p384}, {@code rsa-2048} or {@code rsa-3072}. */
    @WithDefault("ec-p256")
    String keyType();

    /** How long the challenge TXT value may take to become visible. */
    @WithDefault("5m")
    Duration txtTimeout();

    /** Deadline for a whole order, once the TXT is visible (validation, finalization, download). */
    @WithDefault("30m")
    Duration orderTimeout();

    /** Longest wait between two attempts of one step (retries back off exponentially up to this). */
    @WithDefault("2m")
    Duration maxBackoff();

    /** The reconciler's safety-net tick; work is also started as soon as it becomes due. */
    @WithDefault("1s")
    Duration reconcileInterval();

    /** Network timeout of one ACME request. */
    @WithDefault("30s")
    Duration requestTimeout();

    /**
     * {@code ACME_CLAIM_LEASE}: how long a replica's claim on an order's step keeps the other
     * replicas away; a replica that dies mid-step leaves its orders to the others after at most
     * this long. At least 10 s.
     */
    @WithDefault("30s")
    Duration claimLease();

    /**
     * {@code ACME_CAA_IDENTITIES}: the domain names CAA records use for the CA (e.g.
     * {@code letsencrypt.org}); unset, those the directory announces ({@code caaIdentities}).
     */
    Optional<List<String>> caaIdentities();

    /**
     * {@code ACME_PROFILE}: the certificate profile orders ask for (Let's Encrypt: {@code classic},
     * {@code tlsserver}, {@code shortlived}); checked against the directory at start.
     */
    Optional<String> profile();

    /** {@code ACME_REISSUE_COOLDOWN}: the least time between two orders of one active domain's re-issue (429 sooner). */
    @WithDefault("1h")
    Duration reissueCooldown();

    /**
     * {@code ACME_MAX_NAMES}: the most names one certificate may cover, the domain included (the
     * CA's limit; 100 at Let's Encrypt).
     */
    @WithDefault("100")
    int maxNames();

    /**
     * {@code ACME_ISSUERS}: names of the CAs to order from, in order of preference (letters and
     * digits); each is configured by {@code ACME_ISSUER_<NAME>_DIRECTORY} and the optional
     * {@code _EMAIL}, {@code _EAB_KID}, {@code _EAB_HMAC_KEY}, {@code _PROFILE}, {@code _KEY_TYPE},
     * {@code _TRUST_CERT} and {@code _CAA_IDENTITIES}. Unset: one CA from the single settings above.
     */
    Optional<List<String>> issuers();

    /** The settings of each CA named in {@link #issuers()}, by name. */
    Map<String, Issuer> issuer();

    /** One CA of {@code ACME_ISSUERS}; what is unset falls back to the single-CA setting of the same name. */
    interface Issuer {
        Optional<String> directory();

        Optional<String> email();

        Optional<String> eabKid();

        Optional<String> eabHmacKey();

        Optional<String> profile();

        Optional<String> keyType();

        Optional<String> trustCert();

        Optional<List<String>> caaIdentities();
    }

    Budget budget();

    /**
     * Client-side ordering budgets per ACME account, mirroring Let's Encrypt's published limits;
     * 0 turns one off. New first certificates may use all but the renewal share of the new-order
     * budget; renewals may use all of it, so they are never starved by a burst of sign-ups.
     */
    interface Budget {

        /** {@code ACME_BUDGET_NEW_ORDERS}: new orders per account in any 3 hours. */
        @WithDefault("300")
        int newOrders();

        /** {@code ACME_BUDGET_PER_REGISTERED_DOMAIN}: orders per registered domain (eTLD+1) in any 7 days; renewals exempt. */
        @WithDefault("50")
        int perRegisteredDomain();

        /** {@code ACME_BUDGET_DUPLICATES}: orders for the same name in any 7 days, renewals included. */
        @WithDefault("5")
        int duplicates();

        /** {@code ACME_BUDGET_RENEWAL_SHARE}: the part of the new-order budget only renewals may use. */
        @WithDefault("0.2")
        double renewalShare();
    }
}
