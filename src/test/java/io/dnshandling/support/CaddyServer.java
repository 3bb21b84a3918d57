package io.dnshandling.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Caddy (Debian's package, 2.6) with one catch-all HTTPS site whose certificates come, on
 * each handshake, from the service's delivery endpoint ({@code get_certificate http}).
 */
public final class CaddyServer implements AutoCloseable {

    private final int port;
    private final ChildProcess process;

    private CaddyServer(int port, ChildProcess process) {
        this.port = port;
        this.process = process;
    }

    /** Caddy asking {@code certificateUrl} (the delivery endpoint, token in the path) for every server name. */
    public static CaddyServer start(String certificateUrl) {
        try {
            Path dir = Files.createTempDirectory("caddy");
            int port = FreePorts.udpAndTcp();
            Files.writeString(dir.resolve("Caddyfile"), """
                    {
                    	admin off
                    	auto_https disable_redirects
                    	skip_install_trust
                    	storage file_system %s
                    }
                    https://:%d {
                    	tls {
                    		get_certificate http %s
                    	}
                    	respond "ok"
                    }
                    """.formatted(dir.resolve("storage"), port, certificateUrl));
            String binary = ChildProcess.binary("caddy", List.of("/usr/bin/caddy", "/usr/local/bin/caddy"));
            ChildProcess process = ChildProcess.start("caddy", List.of("env", "HOME=" + dir, "XDG_CONFIG_HOME=" + dir, "XDG_DATA_HOME=" + dir,
                    binary, "run", "--config", dir.resolve("Caddyfile").toString(), "--adapter", "caddyfile"), dir.resolve("caddy.log"), port);
            return new CaddyServer(port, process);
        } catch (Exception e) {
            throw new IllegalStateException("could not start caddy: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
