package dev.droptop.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.TracepointLayout;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.TracepointFormat;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.TestNetns;
import java.io.ByteArrayInputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * As root with perf: records UDP drops with stacks in a test netns (nft drop), then reads the file
 * with the native reader and with {@code perf script -i}: same aggregates, user frames aside.
 */
class PerfDataRootTest {
    @Tag("root")
    @Test
    void freshRecordingSameAsPerfScript() throws Exception {
        KernelTest.assumeRootAndNetns();
        KernelTest.assumeTracefs();
        KernelTest.assumeTool("perf", "linux-perf");
        Path dir = Files.createTempDirectory("droptop-perfdata");
        Path data = dir.resolve("udp.perf.data");
        try (TestNetns ns = TestNetns.create("perfdata")) {
            ns.nft("table inet dtt {\n chain input {\n  type filter hook input priority 0;\n"
                    + "  udp dport 9999 drop;\n }\n}\n");
            String cp = System.getProperty("java.class.path");
            // -m 1024: 4 MiB per CPU holds the whole burst even if perf is slow to read it (the suite's
            // own JVM is busy around it; with the default buffer it once lost ~800 of 20,000)
            Process rec = new ProcessBuilder("perf", "record", "-q", "-m", "1024", "-e", "skb:kfree_skb", "-a", "-g",
                    "-o", data.toString(), "--", "ip", "netns", "exec", ns.name(), "java", "-cp", cp,
                    "dev.droptop.testing.DropGen", "udp", "::1", "9999", "20000", "5")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertEquals(0, rec.waitFor());
            Process script = new ProcessBuilder("perf", "script", "--show-lost-events", "-i", data.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String text = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            script.waitFor();
            Aggregates fromText = new Aggregates();
            new PerfScriptParser(Kallsyms.load()).parse(
                    new ByteArrayInputStream(Aggregates.ascii(Aggregates.kernelOnly(text))), fromText);
            Aggregates fromData = new Aggregates();
            TracepointLayout layout = TracepointFormat.runningKernelLayout();
            PerfDataReader reader = new PerfDataReader(Kallsyms.load(), layout);
            try (FileChannel ch = FileChannel.open(data)) {
                reader.read(ch, fromData);
            }
            assertTrue(fromText.total + fromText.lost >= 20000, "drops " + fromText.total + ", lost " + fromText.lost);
            assertEquals(fromText.keys, fromData.keys);
            assertEquals(fromText.folded, fromData.folded);
            assertEquals(fromText.lost, fromData.lost);
        } finally {
            Files.deleteIfExists(data);
            Files.deleteIfExists(dir);
        }
    }
}
