package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each filter on report (and diff) over the two-namespace capture of {@link NetnsReportTest}. */
class FilterOptionsTest {
    @TempDir
    Path dir;

    private long total(String... filter) throws Exception {
        Path f = dir.resolve("two-netns.jsonl");
        if (!f.toFile().exists()) {
            NetnsReportTest.twoNamespaces(dir);
        }
        String[] args = new String[filter.length + 4];
        args[0] = "report";
        args[1] = f.toString();
        args[2] = "--format";
        args[3] = "json";
        System.arraycopy(filter, 0, args, 4, filter.length);
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.code(), r.stderr());
        JsonNode root = new ObjectMapper().readTree(r.stdout());
        return root.get("total").asLong();
    }

    @Test
    void eachFilterKeepsItsDrops() throws Exception {
        assertEquals(557, total());
        assertEquals(300, total("--netns", "blue"));
        assertEquals(200, total("--netns", Long.toString(NetnsReportTest.RED)));
        assertEquals(50, total("--container", NetnsReportTest.ID.substring(0, 12)));
        assertEquals(50, total("--container", "nginx-7f9"));
        assertEquals(50, total("--container", "8d3c5f6e-1a2b-4c3d-9e8f-0a1b2c3d4e5f"));
        assertEquals(200, total("--dev", "veth1"));
        assertEquals(550, total("--reason", "no_socket"));
        assertEquals(7, total("--location", "ip_finish_output2"));
        assertEquals(7, total("--location", "ip_finish_output2+0x10"));
        assertEquals(557, total("--proto", "ipv4"));
        assertEquals(0, total("--proto", "ipv6"));
        assertEquals(300, total("--netns", "blue", "--reason", "NO_SOCKET", "--dev", "lo"));
        assertEquals(0, total("--netns", "blue", "--dev", "veth1"));
    }

    @Test
    void textSaysItIsFilteredAndShortContainerIdsAreRefused() throws Exception {
        Path f = NetnsReportTest.twoNamespaces(dir);
        CliRunner.Result r = CliRunner.run("report", f.toString(), "--netns", "red");
        assertTrue(r.stderr().contains("note: filtered: --netns red"), r.stderr());
        assertTrue(r.stdout().contains("200 drops"), r.stdout());
        CliRunner.Result bad = CliRunner.run("report", f.toString(), "--container", "3f");
        assertEquals(2, bad.code());
        assertTrue(bad.stderr().contains("--container 3f: give at least 4 characters"), bad.stderr());
        CliRunner.Result diff = CliRunner.run("diff", f.toString(), f.toString(), "--netns", "blue", "--format", "json");
        assertEquals(0, diff.code(), diff.stderr());
        assertTrue(!diff.stdout().contains("ip_finish_output2"), diff.stdout());
    }
}
