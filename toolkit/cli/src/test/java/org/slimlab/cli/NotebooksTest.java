package org.slimlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every notebook in notebooks/ runs end to end through a real Jupyter client (nbclient, Debian's
 * python3-nbclient) on the SlimLab kernel, installed by kernel-config/install.sh into a temporary prefix (the
 * user's own kernels are never touched), with SLIMLAB_SCALE=smoke. Executed copies go to
 * toolkit/cli/target/executed-notebooks/. What each cell must show is said by its tags:
 * <ul>
 *   <li>{@code raises-exception}: the cell must end in an error (all other cells must not);</li>
 *   <li>{@code expect-image}: an image/png output; {@code expect-svg}: image/svg+xml; {@code expect-html}:
 *       text/html; {@code expect-output}: any output at all.</li>
 * </ul>
 * Every code cell must have run (so the cell after an error cell ran too).
 */
class NotebooksTest {

    static final Map<String, String> EXPECTED_MIME = Map.of(
            "expect-image", "image/png", "expect-svg", "image/svg+xml", "expect-html", "text/html");
    static final long NOTEBOOK_TIMEOUT_MINUTES = 30;

    static Path root;
    static Path jupyterPath;
    static Path executedDir;

    @BeforeAll
    static void installKernelIntoATemporaryPrefix() throws Exception {
        root = projectRoot();
        Path cpFile = root.resolve("toolkit/cli/target/slimlab.classpath");
        if (!Files.isRegularFile(cpFile)) {
            fail("toolkit/cli/target/slimlab.classpath is missing: build first with `./slimlab build` "
                    + "(or `mvn -B -DskipTests package`); `./slimlab test` does this for you");
        }
        for (String tool : List.of("/usr/bin/python3", "/usr/bin/jupyter")) {
            if (!Files.isExecutable(Path.of(tool))) {
                fail(tool + " is missing: install the Debian packages python3-nbclient python3-nbformat jupyter-client "
                        + "python3-ipykernel jupyter-nbconvert (`./slimlab test` installs them)");
            }
        }
        Path cliJar = root.resolve("toolkit/cli/target/slimlab-cli-0.1.0-SNAPSHOT.jar");
        Path cliClasses = root.resolve("toolkit/cli/target/classes");
        String classpath = Files.readString(cpFile).strip() + File.pathSeparator
                + (Files.isRegularFile(cliJar) ? cliJar : cliClasses);
        Path prefix = Files.createTempDirectory("slimlab-kernelspec");
        run(List.of(root.resolve("kernel-config/install.sh").toString(), "--prefix", prefix.toString()),
                Map.of("SLIMLAB_CLASSPATH", classpath), 120, root.resolve("toolkit/cli/target/kernel-install.log"));
        jupyterPath = prefix.resolve("share/jupyter");
        executedDir = Files.createDirectories(root.resolve("toolkit/cli/target/executed-notebooks"));
    }

    @Test
    void kernelspecIsCompleteWithNoPlaceholdersLeft() throws IOException {
        Path spec = jupyterPath.resolve("kernels/java/kernel.json");
        String text = Files.readString(spec);
        assertThat(text).doesNotContainPattern("@[A-Z0-9_]+@");
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.get("display_name").asText()).isEqualTo("Java (SlimLab)");
        assertThat(json.get("language").asText()).isEqualTo("java");
        assertThat(json.get("interrupt_mode").asText()).isEqualTo("message");
        List<String> argv = new ArrayList<>();
        json.get("argv").forEach(a -> argv.add(a.asText()));
        assertThat(argv).contains("-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=4G",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=8G", "org.slimlab.kernel.KernelMain", "{connection_file}");
        assertThat(argv).anyMatch(a -> a.startsWith("-Djavacpp.platform.extension=-onednn"));
        assertThat(Path.of(argv.get(argv.indexOf("-cp") + 1).split(File.pathSeparator)[0])).exists();
        assertThat(jupyterPath.resolve("kernels/java/logo-64x64.png")).exists();
    }

    @Test
    void kernelAnswersCompleteAndInspectStreamsOutputAndSurvivesAnInterrupt() throws Exception {
        Path log = executedDir.resolve("kernel-probe.log");
        int rc = run(List.of("/usr/bin/python3", root.resolve("kernel-config/kernel_probe.py").toString(), "check"),
                Map.of("JUPYTER_PATH", jupyterPath.toString()), 300, log);
        assertThat(rc).as("kernel-config/kernel_probe.py check:\n%s", tail(log)).isZero();
    }

    @Test
    void theCheckFlagsUnexpectedErrorsMissingOutputsAndCellsThatDidNotRun() throws IOException {
        JsonNode nb = new ObjectMapper().readTree("""
                {"cells": [
                  {"cell_type": "code", "source": "chart", "metadata": {"tags": ["expect-image"]}, "execution_count": 1,
                   "outputs": [{"output_type": "execute_result", "data": {"text/plain": "x"}}]},
                  {"cell_type": "code", "source": "boom()", "metadata": {}, "execution_count": 2,
                   "outputs": [{"output_type": "error", "ename": "E", "evalue": "bad"}]},
                  {"cell_type": "code", "source": "ok", "metadata": {"tags": ["raises-exception"]}, "execution_count": 3, "outputs": []},
                  {"cell_type": "code", "source": "never", "metadata": {}, "execution_count": null, "outputs": []}
                ]}""");
        assertThat(check(nb)).hasSize(4).anyMatch(p -> p.contains("shows no image/png"))
                .anyMatch(p -> p.contains("failed: E: bad")).anyMatch(p -> p.contains("did not fail"))
                .anyMatch(p -> p.contains("did not run"));
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsThroughTheRealClient() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(root.resolve("notebooks"))) {
            // -Dslimlab.notebooks=01-s2hpruner runs only the notebooks whose file name contains that text
            String only = System.getProperty("slimlab.notebooks", "");
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb") && !p.toString().endsWith(".executed.ipynb"))
                    .filter(p -> p.getFileName().toString().contains(only))
                    .sorted().collect(Collectors.toList());
        }
        assertThat(notebooks).isNotEmpty();
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb)));
    }

    private static void execute(Path notebook) throws Exception {
        String name = notebook.getFileName().toString();
        Path log = executedDir.resolve(name.replace(".ipynb", ".log"));
        int rc = run(List.of("/usr/bin/python3", root.resolve("notebooks/run_notebooks.py").toString(),
                        "--kernel", "java", "--timeout", "600", "--out", executedDir.toString(), notebook.toString()),
                Map.of("JUPYTER_PATH", jupyterPath.toString(), "SLIMLAB_SCALE", "smoke"),
                NOTEBOOK_TIMEOUT_MINUTES * 60, log);
        Path executed = executedDir.resolve(name);
        assertThat(executed).as("executed copy of %s (log: %s)", name, log).exists();
        List<String> problems = check(new ObjectMapper().readTree(executed.toFile()));
        if (rc != 0) problems.add(0, "the client failed (exit " + rc + "): " + tail(log));
        assertThat(problems).as("%s, executed copy %s", name, executed).isEmpty();
    }

    /** What is wrong with an executed notebook, judged by its cells' tags (empty when all is well). */
    static List<String> check(JsonNode notebook) {
        List<String> problems = new ArrayList<>();
        int index = 0;
        for (JsonNode cell : notebook.get("cells")) {
            index++;
            if (!"code".equals(cell.get("cell_type").asText())) continue;
            List<String> tags = new ArrayList<>();
            JsonNode t = cell.path("metadata").path("tags");
            t.forEach(x -> tags.add(x.asText()));
            String where = "cell " + index + " (" + firstLine(cell) + ")";
            if (cell.get("execution_count") == null || cell.get("execution_count").isNull()) {
                problems.add(where + " did not run");
                continue;
            }
            List<JsonNode> outputs = new ArrayList<>();
            cell.path("outputs").forEach(outputs::add);
            List<JsonNode> errors = outputs.stream().filter(o -> "error".equals(o.path("output_type").asText())).toList();
            if (tags.contains("raises-exception")) {
                if (errors.isEmpty()) problems.add(where + " is tagged raises-exception but did not fail");
            } else if (!errors.isEmpty()) {
                JsonNode e = errors.get(0);
                problems.add(where + " failed: " + e.path("ename").asText() + ": " + e.path("evalue").asText());
            }
            for (Map.Entry<String, String> expect : EXPECTED_MIME.entrySet()) {
                if (tags.contains(expect.getKey()) && outputs.stream().noneMatch(o -> o.path("data").has(expect.getValue()))) {
                    problems.add(where + " is tagged " + expect.getKey() + " but shows no " + expect.getValue());
                }
            }
            if (tags.contains("expect-output") && outputs.isEmpty()) problems.add(where + " shows no output");
        }
        return problems;
    }

    private static String firstLine(JsonNode cell) {
        JsonNode src = cell.get("source");
        String text = src.isArray() ? (src.size() > 0 ? src.get(0).asText() : "") : src.asText();
        String line = text.lines().findFirst().orElse("");
        return line.length() > 50 ? line.substring(0, 47) + "..." : line;
    }

    private static int run(List<String> command, Map<String, String> env, long timeoutSeconds, Path log) throws Exception {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            fail(String.join(" ", command) + " took more than " + timeoutSeconds + " s; log: " + log);
        }
        if (command.get(0).endsWith("install.sh") && p.exitValue() != 0) {
            fail("kernel-config/install.sh failed: " + tail(log));
        }
        return p.exitValue();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static Path projectRoot() {
        String prop = System.getProperty("slimlab.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "notebooks"))) return Path.of(prop);
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("notebooks")) && Files.isDirectory(dir.resolve("kernel-config")))) {
            dir = dir.getParent();
        }
        if (dir == null) throw new IllegalStateException("cannot find the SlimLab project root from " + Path.of("").toAbsolutePath());
        return dir;
    }
}
