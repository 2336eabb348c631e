package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.parse.PerfScriptParser;
import dev.droptop.parse.TraceFormat;
import dev.droptop.testing.KernelTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parallel reader gives what one parser over the whole file gives: rows, totals, windows, stacks, warnings. */
class ParallelTextTest {
    private static final long SECOND = 1_000_000_000L;
    private static final TraceInput.Tables TABLES = new TraceInput.Tables(() -> dev.droptop.model.SymbolResolver.NONE, () -> null);

    @ParameterizedTest
    @ValueSource(strings = {"nat-conntrack-full.perf.txt", "nat-conntrack-raised.perf.txt", "closed-port-tcp.perf.txt",
            "closed-port-tcp.pipe.perf.txt"})
    void realTracesCutIntoManyChunksReadTheSame(String name) throws IOException {
        Path file = KernelTest.projectDir().resolve("samples/perf").resolve(name);
        DropAggregator one = new DropAggregator(SECOND);
        PerfScriptParser whole = (PerfScriptParser) TraceInput.parser(TraceFormat.PERF_SCRIPT, TABLES);
        try (InputStream in = Files.newInputStream(file)) {
            whole.parse(in, one);
        }
        one.finish();
        DropAggregator many = new DropAggregator(SECOND);
        ParallelText.Result r = ParallelText.read(file, () -> TraceInput.parser(TraceFormat.PERF_SCRIPT, TABLES), many, 2);
        assertNotNull(r, "a trace with call chains has blank lines to cut at");
        many.finish();
        assertEquals(whole.drops(), r.drops());
        assertEquals(whole.warnings().counts(), r.warnings().counts());
        assertEquals(describe(one.snapshot()), describe(many.snapshot()));
    }

    @Test
    void cutsFallOnlyAfterBlankLines(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.txt");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            b.append("event ").append(i).append("\n\tframe a\n\tframe b\n\n");
        }
        Files.writeString(f, b);
        try (FileChannel ch = FileChannel.open(f)) {
            long[] cuts = ParallelText.cuts(ch, 16, ParallelText.HEAD_BYTES);
            assertTrue(cuts.length > 8, "cut into several chunks: " + cuts.length);
            byte[] all = Files.readAllBytes(f);
            for (int i = 1; i + 1 < cuts.length; i++) {
                int at = (int) cuts[i];
                assertTrue(all[at - 1] == '\n' && all[at - 2] == '\n' && all[at] == 'e', "cut at " + at);
            }
            assertEquals(0, cuts[0]);
            assertEquals(all.length, cuts[cuts.length - 1]);
        }
    }

    @Test
    void theFirstChunkEndsAtTheFirstBlankLineAfterTheHead(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.txt");
        StringBuilder b = new StringBuilder("# header\n");
        for (int i = 0; i < 2000; i++) {
            b.append("event ").append(i).append("\n\tframe a\n\tframe b\n\n");
        }
        Files.writeString(f, b);
        byte[] all = Files.readAllBytes(f);
        try (FileChannel ch = FileChannel.open(f)) {
            long[] cuts = ParallelText.cuts(ch, 4, 100);
            int at = (int) cuts[1];
            assertTrue(at >= 100 && all[at - 1] == '\n' && all[at - 2] == '\n', "head cut at " + at);
            assertTrue(new String(all, 100, at - 100).indexOf("\n\n") == at - 102, "the first blank line after 100");
            assertEquals(5, cuts.length - 1, "the head, then the 4 chunks asked for");
        }
    }

    @Test
    void textWithoutBlankLinesIsLeftToOneParser(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("flat.txt");
        Files.writeString(f, "a line\n".repeat(10_000));
        assertNull(ParallelText.read(f, () -> TraceInput.parser(TraceFormat.PERF_SCRIPT, TABLES),
                new DropAggregator(SECOND), 2));
    }

    /** Rows with totals and per-window counts, and each row's stacks by frame names. */
    private static List<String> describe(Snapshot s) {
        List<String> out = new ArrayList<>();
        out.add("total=" + s.total() + " lost=" + s.lost() + " windows=" + s.windows());
        for (Snapshot.Row row : s.rows()) {
            out.add(row.key() + " " + row.total() + " " + java.util.Arrays.toString(row.recent()));
            for (Snapshot.StackCount sc : row.stacks()) {
                out.add("  " + String.join(";", s.stacks().frameNames(sc.stackId())) + " " + sc.count());
            }
        }
        return out;
    }
}
