package io.dnshandling.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The kustomizations under deploy/, as objects. */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    static JsonNode kind(List<JsonNode> docs, String kind) {
        List<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    static JsonNode named(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    /**
     * The kustomization rendered by {@code kubectl kustomize} when kubectl is installed (then the
     * objects must match this test's own reading exactly); otherwise read here: its resources, its
     * labels and its ConfigMap generator, which is all these kustomizations use.
     */
    static List<JsonNode> kustomize(String dir) throws Exception {
        List<JsonNode> read = readKustomization(Path.of(dir));
        if (!onPath("kubectl")) {
            System.out.println("kubectl is not installed: " + dir + " checked as read by the test, not rendered by kubectl");
            return read;
        }
        Process p = new ProcessBuilder("kubectl", "kustomize", dir).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize " + dir + ": " + err).isZero();
        List<JsonNode> rendered = documents(out);
        assertThat(rendered.stream().map(Manifests::id).sorted().toList())
                .isEqualTo(read.stream().map(Manifests::id).sorted().toList());
        return rendered;
    }

    private static List<JsonNode> readKustomization(Path dir) throws IOException {
        JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode resource : k.path("resources")) {
            for (JsonNode doc : documents(Files.readAllBytes(dir.resolve(resource.asText())))) {
                ObjectNode metadata = (ObjectNode) doc.path("metadata");
                k.path("labels").forEach(l -> l.path("pairs").fields()
                        .forEachRemaining(e -> metadata.withObject("labels").put(e.getKey(), e.getValue().asText())));
                out.add(doc);
            }
        }
        for (JsonNode generator : k.path("configMapGenerator")) {
            ObjectNode map = YAML.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
            map.putObject("metadata").put("name", generator.path("name").asText());
            for (JsonNode file : generator.path("files")) {
                map.withObject("data").put(file.asText(), Files.readString(dir.resolve(file.asText())));
            }
            out.add(map);
        }
        return out;
    }

    private static String id(JsonNode doc) {
        return doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
    }

    private static List<JsonNode> documents(byte[] yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isMissingNode() && d.size() > 0) {
                    docs.add(d);
                }
            });
        }
        return docs;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
