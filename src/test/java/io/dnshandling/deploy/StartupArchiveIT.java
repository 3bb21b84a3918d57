package io.dnshandling.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.ServiceProcess;
import io.dnshandling.support.StartupArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The class archive that Dockerfile.jvm builds from the committed class list
 * ({@code scripts/class-archive.sh}): the packaged service starts from it, and a start's classes
 * come from it rather than from the jar. When the list falls behind the code (new dependencies,
 * new work at start), the share drops and this fails: {@code scripts/class-list.sh} rewrites it.
 * The service runs with the image's own JVM options ({@code GC_CONTAINER_OPTIONS} and
 * {@code JAVA_OPTS_APPEND} in Dockerfile.jvm), so an option this Java does not know, or an archive
 * this collector cannot map, stops the test as it would stop the image. It starts against
 * {@code dnshandling_test_empty}, which the test command creates empty and no other test writes to,
 * as the class list was recorded on an empty database.
 */
class StartupArchiveIT {

    private static final double LEAST_SHARE_FROM_ARCHIVE = 0.9;

    @Test
    void theServiceStartsWithItsClassesFromTheArchiveOfTheCommittedList() throws Exception {
        String jar = System.getProperty("app.jar", "target/dns-handling-runner.jar");
        Path logs = Path.of(System.getProperty("it.logs", "target/it-logs"));
        Files.createDirectories(logs);
        Path archive = StartupArchive.of(jar); // built by scripts/class-archive.sh, as Dockerfile.jvm builds it

        Path classLoads = logs.resolve("startup-archive-classes.log");
        Files.deleteIfExists(classLoads);
        // -Xshare:on: the JVM refuses to start rather than silently running without the archive.
        List<String> options = new ArrayList<>(imageJvmOptions());
        options.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + classLoads));
        // A database of its own, where no other test leaves work: a start that picks up orders or
        // events loads classes for them before ready (BouncyCastle's, the CA client's), which no
        // start of an idle replica needs and the class list leaves out on purpose.
        Map<String, String> database = Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:5432/dnshandling_test_empty");
        try (ServiceProcess service = ServiceProcess.start("startup-archive", database, options)) {
            List<String> loads = Files.readAllLines(classLoads).stream().filter(l -> l.contains("[class,load]")).toList();
            long fromArchive = loads.stream().filter(l -> l.contains("source: shared objects file")).count();
            assertThat(loads).as("classes loaded up to ready").hasSizeGreaterThan(5_000);
            assertThat((double) fromArchive / loads.size())
                    .as("share of the %d classes loaded up to ready that came from the archive", loads.size())
                    .isGreaterThanOrEqualTo(LEAST_SHARE_FROM_ARCHIVE);
        }
    }

    /** The -XX options of Dockerfile.jvm's GC_CONTAINER_OPTIONS and JAVA_OPTS_APPEND, but its archive, which is the image's path. */
    private static List<String> imageJvmOptions() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile.jvm"));
        List<String> options = new ArrayList<>();
        for (String variable : List.of("GC_CONTAINER_OPTIONS", "JAVA_OPTS_APPEND")) {
            Matcher m = Pattern.compile("ENV " + variable + "=\"([^\"]*)\"").matcher(dockerfile);
            assertThat(m.find()).as(variable + " in Dockerfile.jvm").isTrue();
            Arrays.stream(m.group(1).split("\\s+"))
                    .filter(o -> o.startsWith("-XX:") && !o.startsWith("-XX:SharedArchiveFile=")).forEach(options::add);
        }
        assertThat(options).as("the image's -XX options").contains("-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=5000");
        return options;
    }
}
