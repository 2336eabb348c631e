package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's screens in a real terminal (tmux on its own socket): the table in total order once a
 * replay ends, the findings pane, folded caller chains, search, reason-grouped graphs that start at
 * the drop locations, honest empty states, {@code w} writing the view, the conntrack gauge in a
 * replayed capture, and search in profile's symbol list. Every step waits for screen text.
 */
class TuiScreensTmuxTest {
    private static final String NAT = "samples/perf/nat-conntrack-full.perf.txt";
    private static final String CAPTURE = "samples/captures/closed-port-and-nft-udp.perf.jsonl";
    private static final String PROFILE = "samples/perf/nat-load-cpu.profile";

    @TempDir
    Path dir;

    @BeforeEach
    void tmux() {
        Assumptions.assumeTrue(Tmux.installed(), "tmux is not installed");
    }

    /** The shell command running droptop in the test's directory, then saying how it ended. */
    private String command(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder sb = new StringBuilder("cd '" + dir + "' && '" + java + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.droptop.cli.Main");
        for (String a : args) {
            sb.append(" '").append(a).append('\'');
        }
        return sb.append("; echo DROPTOP_EXIT=$?; sleep 60").toString();
    }

    private static String sample(String name) {
        return KernelTest.projectDir().resolve(name).toString();
    }

    private static Tmux start(String cmd, int cols, int rows) throws Exception {
        Tmux tmux = new Tmux("dtt-scr");
        tmux.run("new-session", "-d", "-x", Integer.toString(cols), "-y", Integer.toString(rows), "-e", "LANG=C.UTF-8",
                cmd);
        return tmux;
    }

    private static int line(String screen, String text) {
        List<String> lines = screen.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The line of the coloured screen that holds {@code text}, escapes included. */
    private static String colouredLine(Tmux tmux, String text) throws Exception {
        return tmux.run("capture-pane", "-p", "-e").lines().filter(l -> l.contains(text)).findFirst().orElse("");
    }

    @Test
    void replayEndsInTotalOrderAndShowsFindingsFoldedChainsAndSearch() throws Exception {
        try (Tmux tmux = start(command("replay", "--speed", "10", sample(NAT)), 120, 40)) {
            String screen = tmux.waitFor(20_000, "t=5.7s of 5.7s  end  speed 10x", "sort total", "ip6_pkt_discard");
            // the last interval's rate would put ip6_mc_input (1/s) above nf_hook_slow (0/s)
            assertTrue(line(screen, ">nf_hook_slow+0x7d") < line(screen, "sk_stream_kill_queues+0x57")
                    && line(screen, "sk_stream_kill_queues+0x57") < line(screen, "tcp_v4_rcv+0x91")
                    && line(screen, "tcp_v4_rcv+0x91") < line(screen, "ip6_mc_input+0x15e"), screen);
            assertTrue(screen.contains("interval 6/6"), screen);
            tmux.run("send-keys", "s");
            tmux.waitFor(5_000, "sort name");
            tmux.run("send-keys", "s", "s");
            tmux.waitFor(5_000, "sort total");

            screen = tmux.waitFor(5_000, "▸ ← ip_rcv ← __netif_receive_skb_one_core ← … (6)");
            assertTrue(screen.contains("▸ do_softirq.part.0 ← __local_bh_enable_ip ← … (16)"), screen);
            assertTrue(screen.contains("! conntrack table full (likely)  (+") && screen.contains(" more, f shows all)"),
                    screen);
            tmux.run("send-keys", "Tab", "Down", "Enter");
            screen = tmux.waitFor(5_000, "▾ ← ip_rcv", "← process_backlog", "← handle_softirqs");
            tmux.run("send-keys", "Enter");
            tmux.waitFor(5_000, "▸ ← ip_rcv ← __netif_receive_skb_one_core ← … (6)");

            tmux.run("send-keys", "/");
            tmux.waitFor(5_000, "search call graph: _");
            tmux.run("send-keys", "-l", "run_ksoftirqd");
            tmux.run("send-keys", "Enter");
            tmux.waitFor(5_000, "search 'run_ksoftirqd' (n/N)");
            waitForSelected(tmux, "run_ksoftirqd ← smpboot_thread_fn");
            tmux.run("send-keys", "n");
            waitForSelected(tmux, "run_ksoftirqd ← smpboot_thread_fn");
            tmux.run("send-keys", "/");
            tmux.run("send-keys", "-l", "no_such_frame");
            tmux.run("send-keys", "Enter");
            tmux.waitFor(5_000, "'no_such_frame' is not in this call graph");

            tmux.run("send-keys", "f");
            screen = tmux.waitFor(5_000, "FINDINGS (", "1. [critical] conntrack table full (likely)  (1600 drops)",
                    "2. [", "evidence: 1600 NETFILTER_DROP drops", "advice:   confirm with");
            assertTrue(line(screen, "FINDINGS (") > line(screen, "ip6_pkt_discard"), "below the table:\n" + screen);
            tmux.run("send-keys", "f");
            tmux.waitFor(5_000, "CALL GRAPH nf_hook_slow+0x7d");
            tmux.run("send-keys", "Tab", "Tab");
            tmux.waitFor(5_000, "FINDINGS (");
            tmux.run("send-keys", "Tab");
            tmux.waitFor(5_000, "CALL GRAPH nf_hook_slow+0x7d");
        }
    }

    @Test
    void reasonGroupsStartAtTheirLocationsAndEmptyStatesSayWhy() throws Exception {
        try (Tmux tmux = start(command("replay", "--speed", "max", sample(NAT)), 120, 40)) {
            tmux.waitFor(20_000, "end  speed max", "ip6_pkt_discard");
            tmux.run("send-keys", "g", "g");
            tmux.waitFor(5_000, "group reason", "(2 locations)");
            tmux.run("send-keys", "Down", "Down");
            String screen = tmux.waitFor(5_000, "CALL GRAPH (2 locations)  NOT_SPECIFIED", "▾ NOT_SPECIFIED");
            assertTrue(screen.contains("▸ tcp_v4_rcv+0x91 ← ip_protocol_deliver_rcu ← …")
                    && screen.contains("▸ ip6_mc_input+0x15e ← __netif_receive_skb_one_core ← …"), screen);
            assertTrue(line(screen, "▸ tcp_v4_rcv+0x91") == line(screen, "▾ NOT_SPECIFIED") + 1, screen);

            tmux.run("send-keys", "/");
            tmux.run("send-keys", "-l", "zzz");
            tmux.run("send-keys", "Enter");
            screen = tmux.waitFor(5_000, "no row matches the filter 'zzz' (/ edits it, Esc clears it)", "(no row selected)");
            assertTrue(!screen.contains("no drops yet") && !screen.contains("--stacks"), screen);
            tmux.run("send-keys", "/");
            tmux.waitFor(5_000, "filter: _   (Enter keeps, Esc clears)");
            tmux.run("send-keys", "Escape");
            tmux.waitFor(5_000, "(2 locations)");

            tmux.run("send-keys", "w");
            screen = tmux.waitFor(5_000, "view written to " + dir.toRealPath());
            Path written;
            try (Stream<Path> files = Files.list(dir)) {
                written = files.filter(p -> p.getFileName().toString().startsWith("droptop-view-")).findFirst()
                        .orElseThrow(() -> new AssertionError("no view file in " + dir));
            }
            String text = Files.readString(written);
            assertTrue(text.contains("group reason") && text.contains("(2 locations)")
                    && text.contains("FINDINGS (") && text.contains("advice:"), text);
            assertTrue(text.lines().allMatch(l -> l.chars().noneMatch(c -> c < 0x20 && c != '\t')), "control characters");
            tmux.run("send-keys", "q");
            assertTrue(tmux.waitFor(5_000, "DROPTOP_EXIT=").contains("DROPTOP_EXIT=0"));
        }
    }

    @Test
    void replayedCaptureShowsItsConntrackGaugeAndSaysWhenThereAreNoStacks() throws Exception {
        try (Tmux tmux = start(command("replay", "--speed", "max", sample(CAPTURE)), 120, 30)) {
            String screen = tmux.waitFor(20_000, "end  speed max", "conntrack 0/262144 (0%)");
            assertTrue(screen.contains("sort total"), screen);
        }
    }

    @Test
    void profileListSearchesWithSlashAndNAndWritesTheView() throws Exception {
        try (Tmux tmux = start(command("profile", "--input", sample(PROFILE)), 120, 40)) {
            tmux.waitFor(20_000, "top kernel network symbols", "/ search");
            tmux.run("send-keys", "/");
            tmux.waitFor(5_000, "search: _");
            tmux.run("send-keys", "-l", "tcp_v4");
            tmux.run("send-keys", "Enter");
            String first = waitForSelected(tmux, "tcp_v4", null);
            tmux.run("send-keys", "n");
            String second = waitForSelected(tmux, "tcp_v4", first);
            tmux.run("send-keys", "N");
            assertEquals(first, waitForSelected(tmux, "tcp_v4", second));
            tmux.run("send-keys", "w");
            tmux.waitFor(5_000, "view written to " + dir.toRealPath());
            try (Stream<Path> files = Files.list(dir)) {
                Path written = files.filter(p -> p.getFileName().toString().startsWith("droptop-view-")).findFirst()
                        .orElseThrow(() -> new AssertionError("no view file in " + dir));
                String text = Files.readString(written);
                assertTrue(text.startsWith("droptop profile") && text.contains("TOTAL       %     SELF")
                        && text.contains(first), text);
            }
        }
    }

    /** Waits until the reverse-video (selected) line contains {@code text}; returns that line's plain text. */
    private static String waitForSelected(Tmux tmux, String text) throws Exception {
        return waitForSelected(tmux, text, null);
    }

    /** As above, once the selected line is no longer {@code before} (the key has been handled). */
    private static String waitForSelected(Tmux tmux, String text, String before) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = tmux.run("capture-pane", "-p", "-e");
            for (String l : last.lines().toList()) {
                if (l.contains("\u001b[0;7m") || l.contains("\u001b[7m")) {
                    String plain = l.replaceAll("\u001b\\[[0-9;]*m", "");
                    if (plain.contains(text) && !plain.strip().equals(before)) {
                        return plain.strip();
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no selected line with " + text + ":\n" + last);
    }
}
