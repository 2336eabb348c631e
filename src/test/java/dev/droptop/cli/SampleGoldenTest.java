package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests over every recording in {@code samples/} (STYLE C7): the text report and the folded
 * stacks of each sample must equal {@code samples/<kind>/results/<name>-<view>.txt}. After an
 * intended change, regenerate with {@code mvn test -Dtest=SampleGoldenTest -Ddroptop.golden.update=true}
 * and review the diff. Addresses resolve through the recorded kallsyms excerpt and reason numbers
 * through the recorded tracepoint format, so results do not depend on the machine.
 */
class SampleGoldenTest {
    private static final boolean UPDATE = Boolean.getBoolean("droptop.golden.update");
    private static final Path SAMPLES = KernelTest.projectDir().resolve("samples");

    static Stream<Path> samples() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(SAMPLES)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> !p.getParent().getFileName().toString().equals("results"))
                    .filter(p -> !p.getParent().getFileName().toString().equals("kallsyms"))
                    .filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".jsonl")
                            || p.toString().endsWith(".perf.data"))
                    .filter(p -> !p.getFileName().toString().endsWith(".format.txt"))
                    .filter(p -> !p.getFileName().toString().endsWith(".conntrack.txt"))
                    .filter(p -> !p.getFileName().toString().contains("README"))
                    .sorted().forEach(out::add);
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void textReportMatchesGolden(Path sample) throws IOException {
        if (sample.toString().endsWith(".perf.data")) {
            KernelTest.assumeTool("perf", "linux-perf");
        }
        golden(sample, "report", "text");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void foldedStacksMatchGolden(Path sample) throws IOException {
        if (sample.toString().endsWith(".perf.data")) {
            KernelTest.assumeTool("perf", "linux-perf");
        }
        golden(sample, "collapsed", "collapsed");
    }

    /**
     * The kallsyms excerpt of the boot the sample was recorded on: its .meta's {@code kallsyms:} line when
     * it has one (samples of another boot), else the shared excerpt. Never resolve against the wrong kernel.
     */
    private static Path kallsyms(Path sample) throws IOException {
        String base = sample.getFileName().toString().replaceFirst("\\.(txt|jsonl)$", "");
        Path meta = sample.resolveSibling(base + ".meta");
        if (Files.exists(meta)) {
            for (String line : Files.readAllLines(meta)) {
                if (line.startsWith("kallsyms: ")) {
                    return SAMPLES.resolve(line.substring(10).trim());
                }
            }
        }
        return SAMPLES.resolve("kallsyms/kallsyms.excerpt.txt");
    }

    private static void golden(Path sample, String view, String format) throws IOException {
        String name = sample.getFileName().toString().replaceFirst("\\.(txt|jsonl)$", "");
        Path expected = sample.getParent().resolve("results").resolve(name + "-" + view + ".txt");
        String actual = CliRunner.run("report", "--format", format,
                "--kallsyms", kallsyms(sample).toString(),
                "--tracepoint-format", SAMPLES.resolve("tracefs/kfree_skb.format.txt").toString(),
                SAMPLES.getParent().relativize(sample).toString()).stdout();
        if (UPDATE) {
            Files.createDirectories(expected.getParent());
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
            return;
        }
        // a sample without its golden fails: record it with -Ddroptop.golden.update=true and review it
        assertTrue(Files.exists(expected), "no golden " + expected + " (run with -Ddroptop.golden.update=true)");
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, "golden " + expected);
    }
}
