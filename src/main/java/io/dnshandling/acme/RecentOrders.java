package io.dnshandling.acme;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Status;

/**
 * The orders this replica read from the CA in the last moments, so that the step which acts on
 * what it just read (finalize a ready order, download a valid one) sends its request without
 * reading the order again. Only ever a shortcut: a step that finds nothing here, or an order read
 * too long ago or in another status, reads it from the CA as before, so restarts and other
 * replicas change nothing.
 */
final class RecentOrders {

    /** An order read longer ago than this is read again. */
    static final Duration FRESH = Duration.ofSeconds(2);
    private static final int MOST = 1024;

    private record Read(Order order, long atNanos) {
    }

    private final Map<String, Read> byUrl = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Read> eldest) {
            return size() > MOST;
        }
    };

    synchronized void keep(String url, Order order) {
        byUrl.put(url, new Read(order, System.nanoTime()));
    }

    /** The order at {@code url} as read within {@link #FRESH}, if it was then in {@code status}; taken, so used once. */
    synchronized Order take(String url, Status status) {
        Read read = byUrl.remove(url);
        if (read == null || System.nanoTime() - read.atNanos() > FRESH.toNanos() || read.order().getStatus() != status) {
            return null;
        }
        return read.order();
    }
}
