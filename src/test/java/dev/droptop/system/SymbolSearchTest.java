package dev.droptop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.SymbolOrigin;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.TraceKernel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each step of the symbol search order, with hand-made kallsyms tables of two "builds" (A: the trace's,
 * B: another, whose text is larger and whose symbol at the trace's address is wrong_function), and
 * the running kernel pointed at files through the system properties.
 */
class SymbolSearchTest {
    static final long TEXT = 0xffffffff81000000L;
    static final String BID_A = "48dc540c8b76393804ca8088dbfa7d42911a9444";
    static final String BID_B = "a3e4cd60a8ec14f02aa41b41d5b5846d3d9f1dd8";
    /** Build A: tcp_v4_rcv at +0x1033a00, text 0x1209988 bytes. */
    static final String KALLSYMS_A = "ffffffff81000000 T _stext\nffffffff81000000 T _text\n"
            + "ffffffff82033a00 T tcp_v4_rcv\nffffffff82034000 t tcp_v4_other\n"
            + "ffffffff82209988 T _etext\n";
    /** Build B: another layout; at the same address sits wrong_function. */
    static final String KALLSYMS_B = "ffffffff81000000 T _stext\nffffffff81000000 T _text\n"
            + "ffffffff82033000 T wrong_function\nffffffff82276988 T _etext\n";
    static final long LOCATION = 0xffffffff82033a51L;

    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("droptop-symsearch");
        System.setProperty(SymbolSearch.BUILDID_DIR_PROPERTY, dir.resolve("cache").toString());
        runningKernel("6.18.44-fc-v1045", BID_B, KALLSYMS_B);
    }

    @AfterEach
    void tearDown() throws IOException {
        System.clearProperty(SymbolSearch.BUILDID_DIR_PROPERTY);
        System.clearProperty(Kallsyms.PATH_PROPERTY);
        System.clearProperty(RunningKernel.NOTES_PROPERTY);
        System.clearProperty(RunningKernel.RELEASE_PROPERTY);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    void runningKernel(String release, String buildId, String kallsyms) throws IOException {
        Files.writeString(dir.resolve("osrelease"), release + "\n");
        Files.write(dir.resolve("notes"), notes(buildId));
        Files.writeString(dir.resolve("running-kallsyms"), kallsyms);
        System.setProperty(RunningKernel.RELEASE_PROPERTY, dir.resolve("osrelease").toString());
        System.setProperty(RunningKernel.NOTES_PROPERTY, dir.resolve("notes").toString());
        System.setProperty(Kallsyms.PATH_PROPERTY, dir.resolve("running-kallsyms").toString());
    }

    /** /sys/kernel/notes as the kernel has it: a Xen note, then the GNU build-id note. */
    static byte[] notes(String buildId) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        b.putInt(4).putInt(4).putInt(6).put("Xen\0".getBytes(StandardCharsets.US_ASCII)).putInt(7);
        b.putInt(4).putInt(20).putInt(3).put("GNU\0".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 40; i += 2) {
            b.put((byte) Integer.parseInt(buildId.substring(i, i + 2), 16));
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    static TraceKernel buildA() {
        return new TraceKernel("6.18.44-fc-v657", BID_A, TEXT, 0x1209988);
    }

    SymbolSearch search(Path kallsyms, Path archive, TraceKernel k) throws IOException {
        SymbolSearch s = SymbolSearch.Sources.of(kallsyms, archive).search("t.data");
        s.traceKernel(k);
        return s;
    }

    static String name(SymbolResolver r, long address) {
        SymbolResolver.Resolved x = r.resolve(address);
        return x == null ? null : x.symbol() + "+0x" + Integer.toHexString(x.offset());
    }

    @Test
    void runningKernelBuildIdFromNotes() {
        assertEquals(BID_B, RunningKernel.read().buildId());
        assertEquals("6.18.44-fc-v1045", RunningKernel.read().release());
        assertNull(RunningKernel.buildId(new byte[] {1, 2, 3}));
    }

    @Test
    void namesInTheTraceNeedNoSearch() throws IOException {
        SymbolSearch s = search(null, null, buildA());
        assertEquals(SymbolSearch.TRACE, s.origin().source());
        assertNull(s.origin().warning());
    }

    @Test
    void kallsymsFileFirst() throws IOException {
        Path k = Files.writeString(dir.resolve("a.kallsyms"), KALLSYMS_A);
        SymbolSearch s = search(k, null, buildA());
        assertEquals("tcp_v4_rcv+0x51", name(s, LOCATION));
        assertEquals(SymbolSearch.KALLSYMS_FILE, s.origin().source());
    }

    @Test
    void kallsymsFileOfAnotherBuildIsNotUsed() throws IOException {
        Path k = Files.writeString(dir.resolve("b.kallsyms"), KALLSYMS_B);
        SymbolSearch s = search(k, null, buildA());
        assertNull(s.resolve(LOCATION), "never a name from another build");
        SymbolOrigin o = s.origin();
        assertEquals(SymbolSearch.NONE, o.source());
        assertTrue(o.warning().contains("is of another build"), o.warning());
        assertTrue(o.warning().contains("6.18.44-fc-v657") && o.warning().contains("6.18.44-fc-v1045")
                && o.warning().contains("perf archive") && o.warning().contains("--kallsyms"), o.warning());
    }

    @Test
    void buildIdCacheByBuildId() throws IOException {
        Path f = dir.resolve("cache/[kernel.kallsyms]/" + BID_A + "/kallsyms");
        Files.createDirectories(f.getParent());
        Files.writeString(f, KALLSYMS_A);
        SymbolSearch s = search(null, null, buildA());
        assertEquals("tcp_v4_rcv+0x51", name(s, LOCATION));
        assertEquals(SymbolSearch.BUILDID_CACHE, s.origin().source());
    }

    @Test
    void archiveByBuildId() throws Exception {
        Path archive = archive("tar.bz2", "-j", BID_A, KALLSYMS_A);
        SymbolSearch s = search(null, archive, buildA());
        assertEquals("tcp_v4_rcv+0x51", name(s, LOCATION));
        assertEquals(SymbolSearch.ARCHIVE, s.origin().source());
        Path gz = archive("tar.gz", "-z", BID_A, KALLSYMS_A);
        assertEquals("tcp_v4_rcv+0x51", name(search(null, gz, buildA()), LOCATION));
    }

    @Test
    void archiveOfAnotherBuildIdIsNotUsed() throws Exception {
        Path archive = archive("tar.bz2", "-j", BID_B, KALLSYMS_B);
        SymbolSearch s = search(null, archive, buildA());
        assertNull(s.resolve(LOCATION));
        assertEquals(SymbolSearch.NONE, s.origin().source());
        assertTrue(s.origin().warning().contains("holds build-id " + BID_B), s.origin().warning());
    }

    @Test
    void corruptArchivesFailWithOneLine() throws Exception {
        Path bz = Files.write(dir.resolve("bad.tar.bz2"), "BZh91AY&SYgarbage garbage garbage".getBytes(StandardCharsets.US_ASCII));
        IOException e = assertThrows(IOException.class, () -> PerfArchive.read(bz));
        assertTrue(e.getMessage().startsWith(bz + ": corrupt archive"), e.getMessage());
        Path junk = Files.write(dir.resolve("junk.tar"), new byte[1000]);
        e = assertThrows(IOException.class, () -> PerfArchive.read(junk));
        assertTrue(e.getMessage().contains("no kernel symbols"), e.getMessage());
        Path text = Files.writeString(dir.resolve("text.tar"), "hello\n".repeat(200));
        e = assertThrows(IOException.class, () -> PerfArchive.read(text));
        assertEquals(text + ": not a perf archive (not a tar file)", e.getMessage());
        Path good = archive("tar", "", BID_A, KALLSYMS_A);
        byte[] b = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.tar"), java.util.Arrays.copyOf(b, 700));
        e = assertThrows(IOException.class, () -> PerfArchive.read(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0);
    }

    @Test
    void everyPrefixAndRandomBytesGiveAnIOExceptionOrTheTable() throws Exception {
        java.util.Random r = new java.util.Random(13);
        for (String ext : new String[] {"tar.bz2", "tar"}) {
            Path good = archive(ext, ext.equals("tar") ? "" : "-j", BID_A, KALLSYMS_A);
            byte[] b = Files.readAllBytes(good);
            for (int n = 0; n < b.length; n += 1 + r.nextInt(37)) {
                Path cut = Files.write(dir.resolve("cut." + ext), java.util.Arrays.copyOf(b, n));
                try {
                    PerfArchive.read(cut);
                } catch (IOException e) {
                    assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().indexOf('\n') < 0,
                            e.getMessage());
                }
            }
            for (int t = 0; t < 30; t++) {
                byte[] noisy = b.clone();
                noisy[r.nextInt(noisy.length)] = (byte) r.nextInt(256);
                Path p = Files.write(dir.resolve("noisy." + ext), noisy);
                try {
                    java.util.Map<String, Kallsyms> m = PerfArchive.read(p);
                    assertTrue(m.size() <= 1);
                } catch (IOException e) {
                    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
                }
            }
        }
    }

    @Test
    void runningKernelWhenTheBuildIdMatches() throws IOException {
        runningKernel("6.18.44-fc-v657", BID_A, KALLSYMS_A);
        SymbolSearch s = search(null, null, buildA());
        assertEquals("tcp_v4_rcv+0x51", name(s, LOCATION));
        assertEquals(SymbolSearch.RUNNING, s.origin().source());
        assertNull(s.origin().note());
    }

    @Test
    void runningKernelOfAnotherBuildIsNeverUsed() throws IOException {
        // the same release, another build-id: refused
        runningKernel("6.18.44-fc-v657", BID_B, KALLSYMS_B);
        SymbolSearch s = search(null, null, buildA());
        assertNull(s.resolve(LOCATION));
        assertEquals(SymbolSearch.NONE, s.origin().source());
    }

    @Test
    void runningKernelByReleaseOnlySaysSo() throws IOException {
        runningKernel("6.18.44-fc-v657", BID_A, KALLSYMS_A);
        SymbolSearch s = search(null, null, new TraceKernel("6.18.44-fc-v657", null, TEXT, 0x1209988));
        assertEquals("tcp_v4_rcv+0x51", name(s, LOCATION));
        assertEquals(SymbolSearch.RUNNING, s.origin().source());
        assertTrue(s.origin().note().contains("matched by release 6.18.44-fc-v657 and kernel text size only"), s.origin().note());
        // same release, but the text size says another build
        runningKernel("6.18.44-fc-v657", BID_B, KALLSYMS_B);
        SymbolSearch t = search(null, null, new TraceKernel("6.18.44-fc-v657", null, TEXT, 0x1209988));
        assertNull(t.resolve(LOCATION));
    }

    @Test
    void unknownKernelGetsNoRunningSymbols() throws IOException {
        runningKernel("6.18.44-fc-v657", BID_A, KALLSYMS_A);
        SymbolSearch s = search(null, null, TraceKernel.UNKNOWN);
        assertNull(s.resolve(LOCATION));
        assertTrue(s.origin().warning().contains("an unknown kernel"), s.origin().warning());
    }

    @Test
    void kaslrRelocation() throws IOException {
        long shift = 0x2a00000;
        Path k = Files.writeString(dir.resolve("a.kallsyms"), KALLSYMS_A);
        SymbolSearch s = search(k, null, new TraceKernel("6.18.44-fc-v657", BID_A, TEXT + shift, 0x1209988));
        assertEquals("tcp_v4_rcv+0x51", name(s, LOCATION + shift));
        assertTrue(s.origin().note().contains("relocated by -0x2a00000"), s.origin().note());
    }

    /** A perf archive layout ({@code [kernel.kallsyms]/<bid>/kallsyms} and the .build-id link) packed by tar. */
    Path archive(String ext, String flag, String bid, String kallsyms) throws Exception {
        Path root = Files.createTempDirectory(dir, "debug");
        Path f = root.resolve("[kernel.kallsyms]/" + bid + "/kallsyms");
        Files.createDirectories(f.getParent());
        Files.writeString(f, kallsyms);
        Path link = root.resolve(".build-id/" + bid.substring(0, 2) + "/" + bid.substring(2));
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of("../../[kernel.kallsyms]/" + bid));
        Path out = dir.resolve("a" + System.nanoTime() + "." + ext);
        List<String> cmd = new java.util.ArrayList<>(List.of("tar", "-c"));
        if (!flag.isEmpty()) {
            cmd.add(flag);
        }
        cmd.addAll(List.of("-f", out.toString(), "-C", root.toString(), ".build-id/" + bid.substring(0, 2) + "/"
                + bid.substring(2), "[kernel.kallsyms]/" + bid));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), msg);
        assertNotNull(PerfArchive.read(out).get(bid));
        return out;
    }
}
