package io.dnshandling.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server from Debian's packages, run by a test on loopback: started, awaited on its port, stopped. */
final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String what;

    private ChildProcess(Process process, Path log, String what) {
        this.process = process;
        this.log = log;
        this.what = what;
    }

    /** Starts {@code command} with its output in {@code log}, and returns once it accepts TCP on {@code port}. */
    static ChildProcess start(String what, List<String> command, Path log, int port) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ChildProcess child = new ChildProcess(p, log, what);
            child.awaitListening(port);
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + what + ": " + e.getMessage(), e);
        }
    }

    /** The first of {@code candidates} that is executable; installed by scripts/test.sh when missing. */
    static String binary(String what, List<String> candidates) {
        for (String candidate : candidates) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException(what + " is not installed: scripts/test.sh installs it (apt-get install " + what + ")");
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitListening(int port) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited: " + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50); // polling the port while the server starts, bounded by the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException(what + " did not listen on " + port + ": " + log());
    }

    /** Stops it at once (SIGKILL): what a crash or an OOM kill does. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    @Override
    public void close() {
        process.destroy();
        if (!waitForExit()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    private boolean waitForExit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
