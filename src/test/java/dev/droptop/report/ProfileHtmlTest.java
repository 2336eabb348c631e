package dev.droptop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.FrameKind;
import dev.droptop.model.Profile;
import dev.droptop.source.CpuProfile;
import dev.droptop.testing.KernelTest;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flame graph page of a CPU profile: every stack, root = outermost frame, no marker left. */
class ProfileHtmlTest {
    private static String render(Profile p) throws IOException {
        StringWriter out = new StringWriter();
        new ProfileReport().writeHtml("cpu<1>.txt", p, p.top(FrameKind::isNetwork, 10), out);
        return out.toString();
    }

    @Test
    void profilePageHasEveryFrameRootFirst() throws IOException {
        Profile p = new Profile();
        p.add(p.stacks().intern("nf_conntrack_in", "nf_hook_slow", "ip_rcv", "process_backlog"), 40);
        p.add(p.stacks().intern(HtmlReportTest.EVIL, "nf_hook_slow", "ip_local_out"), 10);
        p.time(1.0);
        p.time(3.5);
        String html = render(p);
        assertFalse(html.matches("(?s).*/\\*[a-z]+:\\*/.*"), "a marker was left in the page");
        assertTrue(html.contains("<title>droptop: CPU profile of cpu&lt;1&gt;.txt</title>"), html);
        assertTrue(html.contains("50 samples over 2.5 s; read from cpu&lt;1&gt;.txt"), html);
        assertTrue(html.contains("const unit = 'samples';"));
        List<String> names = names(html);
        assertEquals(6, names.size(), names.toString());
        assertTrue(html.contains(stack(40, names, "process_backlog", "ip_rcv", "nf_hook_slow", "nf_conntrack_in")), html);
        assertTrue(html.contains(stack(10, names, "ip_local_out", "nf_hook_slow", "EVIL")), html);
        assertFalse(html.contains(HtmlReportTest.EVIL));
        assertTrue(html.contains("<table id=\"symbols\">") && html.contains("<td>nf_hook_slow</td>"), html);
    }

    /** The names array of the page, the escaped EVIL symbol as "EVIL". */
    private static List<String> names(String html) {
        int from = html.indexOf("const names = [") + "const names = [".length();
        String body = html.substring(from, html.indexOf("];", from));
        List<String> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                out.add(line.contains("script") ? "EVIL" : line.substring(1, line.length() - 2));
            }
        }
        return out;
    }

    private static String stack(long count, List<String> names, String... rootFirst) {
        StringBuilder sb = new StringBuilder("[").append(count);
        for (String f : rootFirst) {
            sb.append(',').append(names.indexOf(f));
        }
        return sb.append("],").toString();
    }

    @Test
    void recordedProfileBecomesAPage() throws IOException {
        Profile p = CpuProfile.read(KernelTest.projectDir().resolve("samples/perf/nat-load-cpu.profile"));
        String html = render(p);
        assertEquals(1578, p.total());
        assertFalse(html.matches("(?s).*/\\*[a-z]+:\\*/.*"), "a marker was left in the page");
        assertTrue(html.contains("1578 samples of cpu-clock over 1.6 s"), html.substring(0, 2000));
        for (String f : new String[] {"nf_hook_slow", "nf_conntrack_in", "nf_nat_ipv4_local_fn", "do_idle"}) {
            assertTrue(html.contains("\"" + f + "\","), f);
        }
        assertTrue(html.length() < 1_000_000, "page size " + html.length());
    }
}
