package io.dnshandling.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Collects the service's log records while a test runs (same JVM as a @QuarkusTest service). */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Predicate<LogRecord> filter;

    private LogCapture(Predicate<LogRecord> filter) {
        this.filter = filter;
    }

    /** Starts collecting the records that match {@code filter}, from every logger. */
    public static LogCapture start(Predicate<LogRecord> filter) {
        LogCapture capture = new LogCapture(filter);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    public List<ExtLogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        if (record instanceof ExtLogRecord ext && filter.test(record)) {
            ext.copyMdc();
            records.add(ext);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
