package io.dnshandling.domain;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Fills the current certificate's expiry (V34) of the domains that had a certificate before the
 * column existed, a batch per transaction after the service starts, so the migration stays short
 * and replicas still running keep reading. Certificates stored since carry it through their
 * trigger; the list takes a domain's unfilled expiry as unknown, so its pages are right
 * throughout. Every replica starts it: a batch another replica filled first is skipped row by row,
 * and once all are filled a start reads one empty index (V34's partial index of what is left).
 */
@ApplicationScoped
class CertificateExpiryFill {

    private static final Logger LOG = Logger.getLogger(CertificateExpiryFill.class);

    /** Domains per transaction: each holds their rows' locks only as long as its own update. */
    static final int BATCH = 2_000;

    /**
     * The newest certificate's expiry of the next unfilled domains after {@code $1}, in id order.
     * A domain whose certificate's trigger fills it meanwhile no longer meets {@code IS NULL} when
     * its lock is waited for, and is left as that trigger wrote it.
     */
    private static final String FILL = """
            UPDATE domains d SET certificate_expires_at = (SELECT c.not_after FROM certificates c WHERE c.domain_id = d.id
                                                          ORDER BY c.issued_at DESC, c.id DESC LIMIT 1)
              FROM (SELECT id FROM domains WHERE has_certificate AND certificate_expires_at IS NULL AND id > $1 ORDER BY id LIMIT $2) batch
             WHERE d.id = batch.id AND d.has_certificate AND d.certificate_expires_at IS NULL
            RETURNING d.id""";

    private final Pool pool;

    CertificateExpiryFill(Pool pool) {
        this.pool = pool;
    }

    void start(@Observes StartupEvent event) {
        long started = System.nanoTime();
        fillAll().subscribe().with(n -> {
            if (n > 0) {
                LOG.infof("filled the certificate expiry of %d domains in %d ms", n, (System.nanoTime() - started) / 1_000_000);
            }
        }, e -> LOG.warnf("filling the certificate expiry of domains stopped, a later start carries on: %s", e.getMessage()));
    }

    /** Fills every domain left unfilled; how many this call filled. */
    Uni<Long> fillAll() {
        return fillFrom("", 0);
    }

    private Uni<Long> fillFrom(String after, long filled) {
        return pool.preparedQuery(FILL).execute(Tuple.of(after, BATCH)).chain(rows -> {
            String last = after;
            int n = 0;
            for (var row : rows) {
                String id = row.getString("id");
                last = id.compareTo(last) > 0 ? id : last;
                n++;
            }
            // The walk goes on after the batch's highest id, so a row the update leaves unfilled is
            // not read again; it ends at a batch that filled nothing: none is left after that id,
            // or another replica filled all of that batch first and carries on from there itself.
            return n == 0 ? Uni.createFrom().item(filled) : fillFrom(last, filled + n);
        });
    }
}
