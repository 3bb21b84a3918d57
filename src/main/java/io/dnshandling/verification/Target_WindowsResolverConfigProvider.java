package io.dnshandling.verification;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import java.net.InetSocketAddress;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Native image only: dnsjava's Windows resolver-configuration provider, emptied.
 *
 * <p>{@code SimpleResolver}'s constructor can reach {@code ResolverConfig}, whose provider list
 * builds this one; its inner class needs JNA, which is not on the class path, so the image
 * builder (which links everything at build time under Quarkus) stops at it. The service runs on
 * Linux, where {@code /etc/resolv.conf} is the provider that answers; this one is never enabled.
 * On the JVM this class is not loaded.
 */
@TargetClass(className = "org.xbill.DNS.config.WindowsResolverConfigProvider")
final class Target_WindowsResolverConfigProvider {

    @Substitute
    public Target_WindowsResolverConfigProvider() {
    }

    @Substitute
    public void initialize() {
    }

    @Substitute
    public List<InetSocketAddress> servers() {
        return List.of();
    }

    @Substitute
    public List<Name> searchPaths() {
        return List.of();
    }

    @Substitute
    public boolean isEnabled() {
        return false;
    }
}
