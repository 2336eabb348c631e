package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.droptop.system.Privileges;
import dev.droptop.testing.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real CPU profile taken while a NAT load runs in a test netns (DNAT 198.18.0.1:8080 to
 * 198.18.0.2:8081 and masquerade, both addresses on the netns' lo; at most 8 s): nf_hook_slow's
 * callees must include this kernel's conntrack and NAT hook functions. No sysctl is changed.
 */
@Tag("root")
class ProfileRootTest {
    private static final Path LOAD = Path.of("src/test/resources/profile/nat-load.py").toAbsolutePath();
    private static final String NFT = "table ip dtprof {\n"
            + " chain pre { type nat hook prerouting priority -100; tcp dport 8080 dnat to 198.18.0.2:8081; }\n"
            + " chain out { type nat hook output priority -100; ip daddr 198.18.0.1 tcp dport 8080"
            + " dnat to 198.18.0.2:8081; }\n"
            + " chain post { type nat hook postrouting priority 100; ip daddr 198.18.0.2 masquerade; }\n"
            + "}\n";

    @TempDir
    Path tmp;

    @Test
    void nfHookSlowCalleesShowConntrackAndNat() throws Exception {
        assumeTrue(Privileges.isRoot(), "not root: profile root test skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perf")), "no perf (apt-get install linux-perf): skipped");
        try (TestNetns ns = TestNetns.create("prof")) {
            ns.exec("ip", "addr", "add", "198.18.0.1/32", "dev", "lo");
            ns.exec("ip", "addr", "add", "198.18.0.2/32", "dev", "lo");
            ns.nft(NFT);
            Path data = tmp.resolve("cpu.data");
            CliRunner.Result r = CliRunner.run("profile", "--symbol", "nf_hook_slow", "--format", "json",
                    "-o", data.toString(), "--", "timeout", "20", "ip", "netns", "exec", ns.name(),
                    "python3", LOAD.toString(), "20000", "8");
            assertEquals(0, r.code(), r.stderr());
            JsonNode root = new ObjectMapper().readTree(r.stdout());
            assertTrue(root.path("total").asLong() > 0, "no nf_hook_slow samples: " + r.stdout());
            Set<String> callees = new TreeSet<>();
            collect(root.path("callees"), callees);
            System.out.println("nf_hook_slow: " + root.path("total") + " of " + root.path("samples")
                    + " samples; callees: " + callees);
            assertTrue(callees.contains("nf_conntrack_in"), callees.toString());
            // not ipv4_conntrack_local/_in: they tail-call nf_conntrack_in, so they are on a sampled stack
            // only when the sample lands in their few instructions (a fresh-clone run had neither)
            assertTrue(callees.stream().anyMatch(c -> c.startsWith("nf_nat_ipv4_")), callees.toString());
            assertTrue(callees.contains("nft_nat_do_chain") || callees.contains("nft_do_chain"), callees.toString());
            assertEquals(0, CliRunner.run("profile", "--input", data.toString(), "--symbol", "nf_hook_slow").code());
        }
    }

    private static void collect(JsonNode node, Set<String> out) {
        out.add(node.path("frame").asText());
        for (JsonNode c : node.path("children")) {
            collect(c, out);
        }
    }
}
