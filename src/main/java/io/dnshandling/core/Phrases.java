package io.dnshandling.core;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as the sentences shown to operators write them (the diagnosis, the fleet's attention list). */
public final class Phrases {

    private Phrases() {
    }

    /** {@code t} to the second; "(unknown)" when null. */
    public static String at(Instant t) {
        return t == null ? "(unknown)" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** "3 days" (rounded), "5 hours", "12 minutes", "40 seconds": the largest unit of which there are two or more. */
    public static String span(Duration d) {
        if (d.toHours() >= 48) {
            return Math.round(d.toMinutes() / 1440.0) + " days";
        }
        if (d.toHours() >= 2) {
            return d.toHours() + " hours";
        }
        if (d.toMinutes() >= 2) {
            return d.toMinutes() + " minutes";
        }
        return Math.max(0, d.toSeconds()) + " seconds";
    }
}
