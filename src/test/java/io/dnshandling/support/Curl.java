package io.dnshandling.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's curl, as an operator would check a TLS terminator: {@code curl -v --resolve name:port:127.0.0.1 --cacert root.pem}. */
public final class Curl {

    private Curl() {
    }

    /** What one curl run printed and how it ended. */
    public record Result(int exitCode, String body, String verbose) {
    }

    public static Result getOverTls(String serverName, int port, String rootPem) {
        try {
            Path dir = Files.createTempDirectory("curl");
            Path root = dir.resolve("root.pem");
            Files.writeString(root, rootPem);
            Path err = dir.resolve("stderr.txt");
            Process p = new ProcessBuilder(List.of("curl", "-sS", "-v", "--max-time", "10", "--resolve", serverName + ":" + port + ":127.0.0.1",
                    "--cacert", root.toString(), "https://" + serverName + ":" + port + "/"))
                    .redirectError(err.toFile()).start();
            String body = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("curl did not finish");
            }
            return new Result(p.exitValue(), body, Files.readString(err));
        } catch (Exception e) {
            throw new IllegalStateException("could not run curl: " + e.getMessage(), e);
        }
    }
}
