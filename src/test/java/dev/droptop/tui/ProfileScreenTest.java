package dev.droptop.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.droptop.model.Profile;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profile screen for a known profile on Lanterna's virtual terminal (80×24 and 120×40). */
class ProfileScreenTest {
    /** 100 samples over 2 s; nf_hook_slow on 80 of them (20 self), called from ip_rcv and ip_local_out. */
    static Profile profile() {
        Profile p = new Profile();
        add(p, 40, 0.0, "nf_conntrack_in", "nf_hook_slow", "ip_rcv", "__netif_receive_skb_one_core", "process_backlog");
        add(p, 20, 1.0, "nft_do_chain", "nf_hook_slow", "ip_local_out", "__ip_queue_xmit", "__tcp_transmit_skb");
        add(p, 20, 1.5, "nf_hook_slow", "ip_rcv", "__netif_receive_skb_one_core", "process_backlog");
        add(p, 20, 2.0, "pv_native_safe_halt", "default_idle", "do_idle");
        return p;
    }

    private static void add(Profile p, long n, double t, String... frames) {
        p.add(p.stacks().intern(frames), n);
        p.time(t);
    }

    static final class Rig {
        final DefaultVirtualTerminal terminal;
        final ProfileUi ui;

        Rig(String symbol, int cols, int rows) throws IOException {
            terminal = new DefaultVirtualTerminal(new TerminalSize(cols, rows));
            ui = new ProfileUi(terminal, new ProfileData(profile(), "cpu.txt", 25), symbol, TuiFixtures.UTF8_COLOR);
        }

        List<String> screen() throws IOException {
            ui.draw();
            return List.of(text(terminal).split("\n", -1));
        }

        Rig keys(Object... keys) {
            for (Object k : keys) {
                ui.press(k instanceof KeyType ? new KeyStroke((KeyType) k) : new KeyStroke((Character) k, false, false));
            }
            return this;
        }
    }

    @Test
    void treesAt80x24() throws Exception {
        List<String> l = new Rig("nf_hook_slow", 80, 24).screen();
        assertEquals("droptop profile  cpu.txt  samples 100  duration 2.0s", l.get(0));
        assertEquals("nf_hook_slow  80 samples on the stack, 80.00% of all samples, 20 self", l.get(1));
        assertEquals("CALLERS OF nf_hook_slow  (% of its samples, Enter folds)", l.get(2));
        assertEquals("▾ nf_hook_slow                                                        80  100.0%", l.get(3));
        assertEquals("  ▸ ip_rcv ← __netif_receive_skb_one_core ← … (3)                     60   75.0%", l.get(4));
        assertEquals("  ▸ ip_local_out ← __ip_queue_xmit ← … (3)                            20   25.0%", l.get(5));
        assertEquals("", l.get(6));
        assertEquals("CALLEES OF nf_hook_slow  (% of its samples, Enter folds)", l.get(12));
        assertEquals("▾ nf_hook_slow                                                        80  100.0%", l.get(13));
        assertEquals("    nf_conntrack_in                                                   40   50.0%", l.get(14));
        assertEquals("    nft_do_chain                                                      20   25.0%", l.get(15));
        assertEquals("? help  q quit  ↑↓ select  Enter fold  Tab pane  Esc back  / search  n next", l.get(23));
        assertEquals(25, l.size());
    }

    @Test
    void realProfileAt120x40() throws Exception {
        Profile p = dev.droptop.source.CpuProfile.read(dev.droptop.testing.KernelTest.projectDir()
                .resolve("samples/perf/nat-load-cpu.profile"));
        DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(120, 40));
        ProfileUi ui = new ProfileUi(t, new ProfileData(p, "nat-load-cpu.profile", 25), "nf_hook_slow",
                TuiFixtures.UTF8_COLOR);
        ui.draw();
        String screen = text(t);
        List<String> l = List.of(screen.split("\n", -1));
        assertEquals("nf_hook_slow  150 samples on the stack, 9.51% of all samples, 3 self", l.get(1));
        assertTrue(l.get(2).startsWith("CALLERS OF nf_hook_slow"), screen);
        assertTrue(l.get(20).startsWith("CALLEES OF nf_hook_slow"), screen);
        assertTrue(screen.contains("▾ nf_hook_slow") && screen.contains("150  100.0%"), screen);
        assertTrue(screen.contains("→ ip_route_output_key_hash_rcu") && screen.contains("← __ip_queue_xmit"), screen);
        assertTrue(l.get(22).matches(" {2}▾ nf_nat_ipv4_local_fn +43 +28\\.7%"), screen);
        assertTrue(l.get(39).startsWith("? help"), l.get(39));
        assertTrue(l.stream().allMatch(s -> s.length() <= 120));
        ui.press(new KeyStroke(KeyType.Tab));
        ui.press(new KeyStroke(KeyType.ArrowDown));
        ui.press(new KeyStroke(KeyType.Enter));
        ui.draw();
        screen = text(t);
        assertTrue(screen.contains("▸ nf_nat_ipv4_local_fn") && screen.contains("nf_conntrack_in"), screen);
    }

    @Test
    void enterUnfoldsAChainAndFoldsTheNodeUnderTheCursor() throws Exception {
        Rig rig = new Rig("nf_hook_slow", 80, 24).keys(KeyType.ArrowDown, KeyType.Enter);
        List<String> l = rig.screen();
        assertEquals("  ▾ ip_rcv                                                            60   75.0%", l.get(4));
        assertEquals("    ← __netif_receive_skb_one_core                                    60   75.0%", l.get(5));
        assertEquals("    ← process_backlog                                                 60   75.0%", l.get(6));
        assertEquals("  ▸ ip_local_out ← __ip_queue_xmit ← … (3)                            20   25.0%", l.get(7));
        rig.keys(KeyType.Enter);
        assertEquals("  ▸ ip_rcv ← __netif_receive_skb_one_core ← … (3)                     60   75.0%", rig.screen().get(4));
        rig.keys(KeyType.ArrowUp, KeyType.Enter);
        l = rig.screen();
        assertEquals("▸ nf_hook_slow                                                        80  100.0%", l.get(3));
        assertEquals("", l.get(4));
    }

    @Test
    void tabMovesTheCursorToTheCallees() throws Exception {
        Rig rig = new Rig("nf_hook_slow", 80, 24);
        assertTrue(reversed(rig, 3));
        rig.keys(KeyType.Tab, KeyType.ArrowDown);
        assertEquals(ProfileState.Pane.CALLEES, rig.ui.state().pane());
        assertTrue(reversed(rig, 14) && !reversed(rig, 3));
        rig.keys(KeyType.ArrowUp, KeyType.Enter);
        List<String> l = rig.screen();
        assertEquals("▸ nf_hook_slow                                                        80  100.0%", l.get(13));
        assertEquals("  ▸ ip_rcv ← __netif_receive_skb_one_core ← … (3)                     60   75.0%", l.get(4));
        rig.keys(KeyType.Tab);
        assertEquals(ProfileState.Pane.CALLERS, rig.ui.state().pane());
    }

    @Test
    void symbolListOpensTreesAndEscGoesBack() throws Exception {
        Rig rig = new Rig(null, 80, 24);
        List<String> l = rig.screen();
        assertEquals("top kernel network symbols by samples on the stack (Enter opens one)", l.get(1));
        assertEquals("   TOTAL       %     SELF       %  SYMBOL", l.get(2));
        assertEquals("      80  80.00%       20  20.00%  nf_hook_slow", l.get(3));
        assertEquals("? help  q quit  ↑↓ select  Enter open  / search  n next  w write", l.get(23));
        rig.keys(KeyType.Enter);
        l = rig.screen();
        assertEquals("nf_hook_slow", rig.ui.state().symbol());
        assertEquals("CALLERS OF nf_hook_slow  (% of its samples, Enter folds)", l.get(2));
        rig.keys(KeyType.Escape);
        assertEquals("   TOTAL       %     SELF       %  SYMBOL", rig.screen().get(2));
        rig.keys(KeyType.ArrowDown, KeyType.Enter);
        String second = rig.screen().get(1);
        assertTrue(second.startsWith(rig.ui.state().symbol() + "  "), second);
        assertTrue(!"nf_hook_slow".equals(rig.ui.state().symbol()));
        rig.keys(KeyType.Backspace);
        assertEquals(null, rig.ui.state().symbol());
    }

    @Test
    void escDoesNotLeaveAGivenSymbolAndHelpClosesOnAnyKey() throws Exception {
        Rig rig = new Rig("nf_hook_slow", 80, 24).keys(KeyType.Escape);
        assertEquals("nf_hook_slow", rig.ui.state().symbol());
        rig.keys('?');
        assertTrue(rig.screen().get(2).contains("droptop profile keys"));
        rig.keys('x');
        assertTrue(rig.screen().get(2).startsWith("CALLERS OF"));
        rig.keys('q');
        assertTrue(rig.ui.state().isQuit());
    }

    @Test
    void aSymbolOnNoStackSaysSo() throws Exception {
        List<String> l = new Rig("no_such_fn", 80, 24).screen();
        assertEquals(" (no_such_fn is on no sampled stack)", l.get(2));
    }

    private static boolean reversed(Rig rig, int row) throws IOException {
        rig.ui.draw();
        return rig.terminal.getCharacter(0, row).getModifiers().contains(com.googlecode.lanterna.SGR.REVERSE);
    }

    private static String text(DefaultVirtualTerminal t) {
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < t.getTerminalSize().getRows(); y++) {
            StringBuilder line = new StringBuilder();
            for (int x = 0; x < t.getTerminalSize().getColumns(); x++) {
                line.append(t.getCharacter(x, y).getCharacterString());
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
