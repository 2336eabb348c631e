package dev.droptop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.diagnose.Finding;
import dev.droptop.diagnose.Severity;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Warnings;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    static final String EVIL = "</script><script>alert(1)</script>";
    private static final long S = 1_000_000_000L;

    /** Three stacks: two under nf_hook_slow, one under a symbol that tries to break out of the script. */
    static ReportData sample() {
        DropAggregator agg = new DropAggregator(S);
        int nf = agg.stacks().intern("nf_hook_slow", "ip_rcv", "__netif_receive_skb_one_core", "process_backlog");
        int nf2 = agg.stacks().intern("nf_hook_slow", "ip_output", "tcp_connect", "__sys_connect");
        int evil = agg.stacks().intern(EVIL, "ip_rcv", "__netif_receive_skb_one_core", "process_backlog");
        agg.record(DropKey.of("nf_hook_slow", 0x7d, "NETFILTER_DROP", 0x800), nf, 60, S);
        agg.record(DropKey.of("nf_hook_slow", 0x7d, "NETFILTER_DROP", 0x800), nf2, 15, S);
        agg.record(DropKey.of(EVIL, 1, "NOT_SPECIFIED", 0x800), evil, 25, 2 * S);
        agg.finish();
        Finding f = new Finding("conntrack-table-full", Severity.values()[0], "conntrack table full <b>",
                "75 drops in nf_hook_slow", "sysctl -w net.netfilter.nf_conntrack_max=1024", 75);
        return new ReportData("t<&>.txt", "perf script text", agg.snapshot(), new Warnings(), List.of(f), List.of());
    }

    static String render(ReportData data) throws IOException {
        StringWriter out = new StringWriter();
        new HtmlReport(20).write(data, out);
        return out.toString();
    }

    @Test
    void everyMarkerIsReplacedAndTheDataIsEmbedded() throws IOException {
        String html = render(sample());
        assertFalse(html.matches("(?s).*/\\*[a-z]+:\\*/.*"), "a marker was left in the page");
        assertTrue(html.contains("<title>droptop: drops in t&lt;&amp;&gt;.txt</title>"));
        assertTrue(html.contains("\"nf_hook_slow\","));
        assertTrue(html.contains("const unit = 'drops';"));
        // root first: process_backlog, __netif_receive_skb_one_core, ip_rcv, nf_hook_slow
        assertTrue(html.contains("[60,0,1,2,3],"), html);
        assertTrue(html.contains("<td>nf_hook_slow+0x7d</td><td>NETFILTER_DROP</td>"));
        assertTrue(html.contains("id=\"finding-conntrack-table-full\""));
        assertTrue(html.contains("conntrack table full &lt;b&gt;"));
    }

    @Test
    void aSymbolCannotEndTheScriptElement() throws IOException {
        String html = render(sample());
        int script = html.indexOf("<script>");
        String inScript = html.substring(script + 8, html.lastIndexOf("</script>"));
        assertFalse(inScript.contains("</script"), "the script element ends early");
        assertFalse(inScript.contains("<script"));
        assertTrue(inScript.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"));
        assertEquals(1, count(html, "<script>"));
        assertTrue(html.contains("<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;+0x1</td>"));
    }

    @Test
    void noNetworkReferences() throws IOException {
        String html = render(sample());
        for (String s : List.of("http://", "https://", "src=", "@import", "url(")) {
            assertFalse(html.contains(s), "the page refers to " + s);
        }
        assertTrue(html.contains("default-src 'none'"));
    }

    @Test
    void largeDataIsStreamedInChunks() throws IOException {
        DropAggregator agg = new DropAggregator(S);
        for (int i = 0; i < 3000; i++) {
            int st = agg.stacks().intern("nf_hook_slow", "caller_" + i, "root");
            agg.record(DropKey.of("nf_hook_slow", 0x7d, "NETFILTER_DROP", 0x800), st, 1, S);
        }
        agg.finish();
        ReportData data = new ReportData("big", "test", agg.snapshot(), new Warnings(), List.of(), List.of());
        List<Integer> writes = new ArrayList<>();
        StringWriter all = new StringWriter();
        new HtmlReport(5).write(data, new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                writes.add(len);
                all.write(buf, off, len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        assertTrue(writes.size() > 3, "written in one piece: " + writes);
        assertTrue(writes.stream().allMatch(n -> n < 2 * HtmlReport.FLUSH_THRESHOLD + 8192), writes.toString());
        assertTrue(all.toString().contains("\"caller_2999\""));
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
