package io.dnshandling.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dnshandling.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests as {@code kubectl kustomize} renders them (the renderer of
 * {@code kubectl apply -k}; read by the test itself where kubectl is not installed), checked against what the service actually serves and
 * reads: probe paths answered on the management port, ports, every environment variable a setting,
 * the Role exactly what Secret delivery calls, every metric of the alerts and the dashboard one the
 * service exports.
 */
@QuarkusTest
class DeployManifestsTest {

    private static List<JsonNode> base;
    private static List<JsonNode> monitoring;

    @BeforeAll
    static void render() throws Exception {
        base = Manifests.kustomize("deploy/kubernetes");
        monitoring = Manifests.kustomize("deploy/kubernetes/monitoring");
    }

    @Test
    void the_probes_are_paths_the_management_port_answers() {
        JsonNode container = container();
        assertThat(port(container, "management")).isEqualTo(9000);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("port").asText()).as(probe).isEqualTo("management");
            Management.given().get(get.path("path").asText()).then().statusCode(200);
        }
    }

    @Test
    void ports_match_the_settings_and_dns_needs_no_privilege() {
        JsonNode container = container();
        assertThat(port(container, "http")).isEqualTo(8080);
        JsonNode config = Manifests.kind(base, "ConfigMap").path("data");
        assertThat(port(container, "dns-udp")).isEqualTo(config.path("DNS_SERVER_PORT").asInt()).isGreaterThan(1024);
        assertThat(container.path("securityContext").path("capabilities").path("drop").toString()).contains("ALL");
        assertThat(container.path("securityContext").path("capabilities").has("add")).isFalse();
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean()).isFalse();
        JsonNode dns = Manifests.named(base, "Service", "dns-handling-dns");
        assertThat(dns.path("spec").path("ports").findValuesAsText("protocol")).containsExactlyInAnyOrder("UDP", "TCP");
        assertThat(dns.path("spec").path("ports").findValuesAsText("port")).containsOnly("53");
        assertThat(Manifests.named(base, "Service", "dns-handling-management").path("spec").path("type").asText()).isEqualTo("ClusterIP");
    }

    @Test
    void every_configured_variable_is_a_setting_and_nothing_is_a_literal_in_the_deployment() throws IOException {
        Set<String> settings = settingsAsEnvironmentVariables();
        Manifests.kind(base, "ConfigMap").path("data").fieldNames().forEachRemaining(name ->
                assertThat(name.startsWith("QUARKUS_") || settings.contains(name)).as(name + " is read by the service").isTrue());
        JsonNode container = container();
        assertThat(container.path("envFrom").findValuesAsText("name")).containsExactly("dns-handling", "dns-handling");
        container.path("env").forEach(e -> assertThat(e.path("name").asText()).as("only non-secret fixed values inline").isEqualTo("QUARKUS_HTTP_HOST"));
        // The Secret the operator creates (deploy/README.md) holds only settings, too.
        String readme = Files.readString(Path.of("deploy/README.md"));
        Matcher literal = Pattern.compile("--from-literal=([A-Z_]+)=").matcher(readme);
        int secrets = 0;
        while (literal.find()) {
            secrets++;
            assertThat(literal.group(1).startsWith("QUARKUS_") || settings.contains(literal.group(1))).as(literal.group(1)).isTrue();
        }
        assertThat(secrets).isGreaterThanOrEqualTo(4);
    }

    @Test
    void the_role_grants_exactly_what_secret_delivery_calls() throws IOException {
        String source = Files.readString(Path.of("src/main/java/io/dnshandling/delivery/KubernetesSecrets.java"));
        Set<String> used = new HashSet<>();
        Matcher call = Pattern.compile("\\.(list|create|update|delete|get|patch|edit)\\(\\)").matcher(source);
        while (call.find()) {
            used.add(call.group(1));
        }
        JsonNode rules = Manifests.kind(base, "Role").path("rules");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).path("resources").toString()).isEqualTo("[\"secrets\"]");
        List<String> verbs = new ArrayList<>();
        rules.get(0).path("verbs").forEach(v -> verbs.add(v.asText()));
        assertThat(used).isNotEmpty();
        assertThat(verbs).containsExactlyInAnyOrderElementsOf(used);
        assertThat(Manifests.kind(base, "RoleBinding").path("subjects").get(0).path("name").asText())
                .isEqualTo(Manifests.kind(base, "Deployment").path("spec").path("template").path("spec").path("serviceAccountName").asText());
    }

    @Test
    void alerts_and_dashboard_use_metrics_the_service_exports() throws IOException {
        Set<String> exported = exportedMetricNames();
        Set<String> used = new HashSet<>();
        Matcher m = Pattern.compile("\\b([a-z][a-z0-9_]*)(?=\\{|\\)|\\[| *[<>=])").matcher(
                Manifests.kind(monitoring, "PrometheusRule").toString() + Manifests.kind(monitoring, "ConfigMap").toString());
        while (m.find()) {
            String name = m.group(1);
            if (name.contains("_") && !Set.of("min_over_time", "histogram_quantile", "first").contains(name)) {
                used.add(name.replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        assertThat(used).hasSizeGreaterThan(10);
        assertThat(exported).containsAll(used);
        JsonNode monitor = Manifests.named(monitoring, "ServiceMonitor", "dns-handling").path("spec");
        assertThat(monitor.path("endpoints").get(0).path("path").asText()).isEqualTo("/q/metrics");
        JsonNode managementLabels = Manifests.named(base, "Service", "dns-handling-management").path("metadata").path("labels");
        monitor.path("selector").path("matchLabels").fields().forEachRemaining(e ->
                assertThat(managementLabels.path(e.getKey()).asText()).as("ServiceMonitor selects " + e.getKey()).isEqualTo(e.getValue().asText()));
    }

    /** Metric names as Prometheus sees them, from the meters the code registers, plus the HTTP server's. */
    private static Set<String> exportedMetricNames() throws IOException {
        Set<String> out = new HashSet<>(Set.of("http_server_requests_seconds"));
        // A builder's statement up to its ';', for the base unit Prometheus appends to the name.
        Pattern meter = Pattern.compile("(Counter|Timer|Gauge|DistributionSummary)\\.builder\\(\"([a-z.]+)\"([^;]*)|\\.gauge\\(\"([a-z.]+)\"");
        try (var files = Files.walk(Path.of("src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = meter.matcher(Files.readString(p));
                while (m.find()) {
                    String name = (m.group(2) != null ? m.group(2) : m.group(4)).replace('.', '_');
                    Matcher unit = Pattern.compile("baseUnit\\(\"([a-z]+)\"\\)").matcher(m.group(3) == null ? "" : m.group(3));
                    name = unit.find() ? name + "_" + unit.group(1) : name;
                    String type = m.group(1) == null ? "Gauge" : m.group(1);
                    out.add(switch (type) {
                        case "Counter" -> name + "_total";
                        case "Timer" -> name + "_seconds";
                        default -> name;
                    });
                }
            }
        }
        return out;
    }

    /** Every key of application.properties (profile prefixes dropped) in its environment-variable form. */
    private static Set<String> settingsAsEnvironmentVariables() throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            if (line.isBlank() || line.startsWith("#") || !line.contains("=")) {
                continue;
            }
            String key = line.substring(0, line.indexOf('=')).replaceFirst("^%[a-z]+\\.", "");
            out.add(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase());
        }
        // Mapped settings with defaults in code rather than in the file.
        try (var files = Files.walk(Path.of("src/main/java/io/dnshandling/config"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher documented = Pattern.compile("\\{@code ([A-Z][A-Z0-9_]+)}").matcher(Files.readString(p));
                while (documented.find()) {
                    out.add(documented.group(1));
                }
            }
        }
        return out;
    }

    private static JsonNode container() {
        return Manifests.kind(base, "Deployment").path("spec").path("template").path("spec").path("containers").path(0);
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no port named " + name);
    }
}
