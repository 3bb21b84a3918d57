package io.dnshandling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout rules, read from the sources: packages by capability with no import cycle between
 * them, HTTP only in {@code http/} and the {@code rest/} packages, and no file a reader cannot
 * take in at once.
 */
class ArchitectureTest {

    static final Path MAIN = Path.of("src/main/java/io/dnshandling");
    static final Path TEST = Path.of("src/test/java/io/dnshandling");
    static final int MAX_LINES = 250;
    /** A reference to another package of the service: in an import, or a name written out in full. */
    static final Pattern REFERENCE = Pattern.compile("\\bio\\.dnshandling\\.((?:[a-z][a-z0-9]*\\.)*[a-z][a-z0-9]*)\\.[A-Z]");

    @Test
    void no_package_depends_on_itself_through_others() {
        Map<String, Set<String>> graph = packageGraph();
        assertThat(graph).isNotEmpty();
        assertThat(cycles(graph)).as("package import cycles").isEmpty();
    }

    @Test
    void only_http_and_the_rest_packages_speak_http() {
        List<String> offenders = new ArrayList<>();
        for (Path file : javaFiles(MAIN)) {
            String pkg = packageOf(file);
            if (pkg.equals("http") || pkg.endsWith(".rest") || pkg.equals("rest")) {
                continue;
            }
            String text = read(file);
            if (text.contains("import jakarta.ws.rs") || text.contains("import io.dnshandling.http.")) {
                offenders.add(MAIN.relativize(file).toString());
            }
        }
        assertThat(offenders).as("files below the resources that import JAX-RS or http/").isEmpty();
    }

    @Test
    void no_source_file_is_longer_than_the_limit() {
        Map<String, Long> tooLong = new TreeMap<>();
        for (Path root : List.of(MAIN, TEST)) {
            for (Path file : javaFiles(root)) {
                long lines = read(file).lines().count();
                if (lines > MAX_LINES) {
                    tooLong.put(file.toString(), lines);
                }
            }
        }
        assertThat(tooLong).as("files over " + MAX_LINES + " lines").isEmpty();
    }

    @Test
    void the_cycle_check_finds_a_cycle_when_there_is_one() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(cycles(graph)).containsExactly(List.of("a", "b", "c"));
        assertThat(cycles(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
    }

    /** Package (relative to io.dnshandling, "" for the root) to the packages it refers to. */
    static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path file : javaFiles(MAIN)) {
            String pkg = packageOf(file);
            Set<String> uses = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(read(file));
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    uses.add(m.group(1));
                }
            }
        }
        return graph;
    }

    /** Each strongly connected set of two or more packages, sorted (Tarjan). */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        for (String v : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
            Deque<String> stack, Set<String> onStack, List<List<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component.stream().sorted().toList());
            }
        }
    }

    static String packageOf(Path file) {
        Path dir = MAIN.relativize(file).getParent();
        return dir == null ? "" : dir.toString().replace('/', '.');
    }

    static List<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
