package io.dnshandling.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The class archive that {@code scripts/class-archive.sh} builds from the committed class list, as
 * Dockerfile.jvm builds it: made once a test run for the packaged jar and shared by every
 * {@link ServiceProcess}, so the integration tests' replicas start the way the
 * image's do. A start from it took 3.3 s here against 5.2–7.8 s from the jar alone, and the
 * integration tests start the service more than twenty times.
 */
public final class StartupArchive {

    private static Path archive;

    private StartupArchive() {
    }

    /** The archive for {@code jar}, built at the first call; fails with the build's log. */
    public static synchronized Path of(String jar) {
        Path logs = Path.of(System.getProperty("it.logs", "target/it-logs"));
        Path target = logs.resolve("startup-archive.jsa");
        try {
            if (archive == null) {
                Files.createDirectories(logs);
                Path dumpLog = logs.resolve("startup-archive-dump.log");
                ProcessBuilder builder = new ProcessBuilder("scripts/class-archive.sh", jar, target.toString())
                        .redirectErrorStream(true).redirectOutput(dumpLog.toFile());
                builder.environment().put("JAVA", ServiceProcess.javaBinary()); // the JVM that runs the service
                Process dump = builder.start();
                if (!dump.waitFor(3, TimeUnit.MINUTES)) {
                    dump.destroyForcibly();
                    throw new IllegalStateException("class archive not built within 3 minutes; see " + dumpLog);
                }
                if (dump.exitValue() != 0) {
                    throw new IllegalStateException("scripts/class-archive.sh exited with " + dump.exitValue() + "; see " + dumpLog);
                }
                archive = target;
            }
            return archive;
        } catch (IOException e) {
            throw new IllegalStateException("could not build the class archive: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
