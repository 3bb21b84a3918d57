package io.dnshandling.verification;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * Native image only: dnsjava's Android resolver-configuration provider, never enabled.
 *
 * <p>Its {@code initialize} names {@code android.net.ConnectivityManager}, which the image builder
 * cannot resolve; see {@link Target_WindowsResolverConfigProvider} for how it is reached. On the
 * JVM this class is not loaded.
 */
@TargetClass(className = "org.xbill.DNS.config.AndroidResolverConfigProvider")
final class Target_AndroidResolverConfigProvider {

    @Substitute
    public void initialize() {
    }

    @Substitute
    public boolean isEnabled() {
        return false;
    }
}
