package dev.droptop.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.droptop.model.CallTree;
import dev.droptop.model.FrameKind;
import dev.droptop.model.Profile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerfSampleParserTest {
    private static final String TEXT = String.join("\n",
            "python3  4242 [001] 81234.567890:    1001001 cpu-clock:ppp: ",
            "\tffffffffa1000010 nf_conntrack_in+0x3d ([kernel.kallsyms])",
            "\tffffffffa1000020 nf_hook_slow+0x4a ([kernel.kallsyms])",
            "\tffffffffa1000030 ip_rcv+0x1 ([kernel.kallsyms])",
            "",
            "python3  4242 [001] 81234.568890:    1001001 cpu-clock:ppp: ",
            "\tffffffffa1000040 nf_nat_ipv4_pre_routing+0x9 ([kernel.kallsyms])",
            "\tffffffffa1000020 nf_hook_slow+0x4a ([kernel.kallsyms])",
            "\tffffffffa1000030 ip_rcv+0x1 ([kernel.kallsyms])",
            "",
            "swapper     0 [000] 81234.569000:    1001001 cpu-clock:ppp: ",
            "\tffffffffa1000050 default_idle+0x9 ([kernel.kallsyms])",
            "\t    7f00000000 std::map<int, int>::find(int const&) (/usr/bin/x)",
            "",
            "swapper     0 [000] 81234.570000:    1001001 cpu-clock:ppp: ",
            "");

    @Test
    void samplesBecomeStacksAndTrees() throws Exception {
        Profile p = new Profile();
        PerfSampleParser parser = new PerfSampleParser();
        parser.parse(new ByteArrayInputStream(TEXT.getBytes(StandardCharsets.UTF_8)), p);
        assertEquals(4, parser.samples());
        assertEquals(1, parser.skipped());
        assertEquals(4, p.total(), "a sample without a call chain counts in the total, on no stack");
        assertEquals(1, p.unstacked());
        assertEquals(4 * 1001001L, p.totalWeight());
        assertEquals("cpu-clock:ppp", p.event());
        Profile.Focus f = p.focus("nf_hook_slow");
        assertEquals(2, f.total());
        assertEquals(0, f.self());
        assertEquals(2.0 / 4, f.share(), 1e-9);
        List<CallTree> callees = f.callees().children();
        assertEquals(2, callees.size());
        assertEquals("ip_rcv", f.callers().children().get(0).frame());
        List<Profile.SymbolCount> top = p.top(FrameKind::isNetwork, 10);
        assertEquals(new Profile.SymbolCount("ip_rcv", 2, 0, 2002002, 0), top.get(0));
        assertEquals(new Profile.SymbolCount("nf_hook_slow", 2, 0, 2002002, 0), top.get(1));
        assertEquals(new Profile.SymbolCount("nf_conntrack_in", 1, 1, 1001001, 1001001), top.get(2));
        assertEquals("std::map<int, int>::find(int const&)", PerfSampleParser.frame(
                "7f00000000 std::map<int, int>::find(int const&) (/usr/bin/x)"));
    }

    @Test
    void sampleHeadersGiveTheDuration() {
        assertEquals(81234.56789, PerfSampleParser.timestamp("swapper     0 [001] 81234.567890:    1001001 cpu-clock:ppp:"),
                1e-9);
        assertEquals(4986.717003, PerfSampleParser.timestamp("C2 CompilerThre  6235 [001]  4986.717003:  2004 cpu-clock: "),
                1e-9);
        assertEquals(true, Double.isNaN(PerfSampleParser.timestamp("no timestamp here")));
        Profile p = new Profile();
        assertEquals(0, p.durationSeconds());
        p.time(5.5);
        p.time(2.0);
        assertEquals(3.5, p.durationSeconds(), 1e-9);
    }

    @Test
    void aCpuProfileIsToldFromOtherText() {
        byte[] profile = TEXT.getBytes(StandardCharsets.UTF_8);
        assertEquals("cpu-clock:ppp", PerfSampleParser.profileEvent(profile, profile.length));
        byte[] prose = String.join("\n", "Usage notes for the tool:", "    run it twice (then compare)", "",
                "See the docs 12 here: more", "\tdeadbeef and more text (not a frame)", "").getBytes(StandardCharsets.UTF_8);
        assertEquals(null, PerfSampleParser.profileEvent(prose, prose.length));
        byte[] noStacks = "swapper     0 [000] 81234.570000:    1001001 cpu-clock:ppp: \n\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(null, PerfSampleParser.profileEvent(noStacks, noStacks.length));
    }

    @Test
    void otherEventsAreCountedNotMixedIn() throws Exception {
        String text = String.join("\n",
                "a 1 [000] 1.000000: 100 cycles: ", "\tffff0001 f1+0x1 ([kernel.kallsyms])", "",
                "a 1 [000] 1.100000: 7 instructions: ", "\tffff0002 f2+0x1 ([kernel.kallsyms])", "",
                "a 1 [000] 1.200000: 300 cycles: ", "\tffff0001 f1+0x1 ([kernel.kallsyms])",
                "\t    7f00 [unknown] (/usr/lib/x86_64-linux-gnu/libc.so.6)");
        Profile p = new Profile();
        PerfSampleParser parser = new PerfSampleParser();
        parser.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), p);
        assertEquals("cycles", p.event());
        assertEquals(2, p.total());
        assertEquals(400, p.totalWeight());
        assertEquals(java.util.Map.of("instructions", 1L), p.otherEvents());
        assertEquals(0.2, p.durationSeconds(), 1e-9, "the other event's time is not the profile's");
        Profile.Focus f = p.focus("f1");
        assertEquals(2, f.total());
        assertEquals(400, f.weight());
        assertEquals(1, f.callers().children().size());
        assertEquals("[libc.so.6]", f.callers().children().get(0).frame());
    }
}
