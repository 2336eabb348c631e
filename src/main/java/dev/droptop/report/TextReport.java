package dev.droptop.report;

import static dev.droptop.model.Decimals.oneDecimal;
import static dev.droptop.model.Decimals.padLeft;
import static dev.droptop.model.Decimals.padRight;
import static dev.droptop.model.Decimals.percent;

import dev.droptop.diagnose.Finding;
import dev.droptop.diagnose.ReasonCatalogue;
import dev.droptop.model.CallerTree;
import dev.droptop.model.Protocols;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SymbolOrigin;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The human report: a summary line, the drop table (location, reason, protocol, count, share), the
 * findings, and the caller tree of the top locations ({@code nf_hook_slow <- ip_rcv <- ...}).
 * Single-caller chains stay at one indent, as in {@code perf report -g caller}. Long names are cut
 * to fit only on a terminal; in files and pipes they are written in full.
 */
public final class TextReport {
    /** Callers below this share of their location are folded into "other callers". */
    private static final double MIN_CALLER_SHARE = 0.01;
    private static final int MAX_DEPTH = 16;
    private static final int TREES = 3;

    private final int top;
    private final boolean fit;

    /** A report of the {@code top} rows, with long names written in full (files and pipes). */
    public TextReport(int top) {
        this(top, false);
    }

    /**
     * @param fit cut long locations, reasons and caller frames to fit a terminal's columns (with
     *     {@code ~}); false writes them in full, for files, pipes and grep
     */
    public TextReport(int top, boolean fit) {
        this.top = top;
        this.fit = fit;
    }

    public void write(ReportData data, PrintWriter out) {
        Snapshot s = data.snapshot();
        List<Rows.Row> rows = Rows.merged(s);
        out.println("droptop report: " + Sanitize.text(data.source()) + " (" + data.backend() + ")");
        double secs = s.durationSeconds();
        out.println(s.total() + " drops in " + (secs > 0 ? oneDecimal(secs) + " s" : "an instant")
                + (secs > 0 ? " (" + oneDecimal(s.total() / secs) + "/s)" : "") + ", " + s.lost() + " lost, "
                + s.symbols().size() + " locations, " + s.reasons().size() + " reasons");
        if (s.lost() > 0) {
            out.println("WARNING: " + s.lost() + " events were lost by the kernel or the backend: counts are low");
        }
        data.warnings().counts().forEach((kind, n) -> out.println((isSkip(kind) ? "skipped" : "warning") + ": " + n
                + " " + kind + " (first: " + Sanitize.text(data.warnings().example(kind)) + ")"));
        writeSymbols(data, out);
        if (rows.isEmpty()) {
            out.println();
            out.println("No drops recorded.");
            return;
        }
        out.println();
        writeTable(data, rows, out);
        writeNamespaces(data, out);
        writeFlows(data, out);
        writeFindings(data, out);
        writeTrees(s, fit, out);
        out.flush();
    }

    /** Where kernel symbols came from, for inputs with raw addresses; the one warning when nowhere. */
    static void writeSymbols(ReportData data, PrintWriter out) {
        for (SymbolOrigin o : data.symbols()) {
            if (o.warning() != null) {
                out.println("WARNING: " + Sanitize.text(o.warning()));
            } else if (!"trace".equals(o.source())) {
                out.println("kernel symbols: " + o.source() + " (recorded on " + Sanitize.text(o.kernel().describe())
                        + ")" + (o.note() == null ? "" : "; " + Sanitize.text(o.note())));
            }
        }
    }

    private void writeTable(ReportData data, List<Rows.Row> rows, PrintWriter out) {
        int shown = Math.min(top, rows.size());
        int locWidth = 8;
        int reasonWidth = 6;
        for (int i = 0; i < shown; i++) {
            locWidth = Math.max(locWidth, Math.min(fit ? 48 : Integer.MAX_VALUE,
                    Sanitize.text(rows.get(i).key().location()).length()));
            reasonWidth = Math.max(reasonWidth, Math.min(fit ? 28 : Integer.MAX_VALUE,
                    Sanitize.text(rows.get(i).key().reasonOrDash()).length()));
        }
        tableLine(out, locWidth, reasonWidth, "LOCATION", "REASON", "PROTO", "COUNT", "SHARE");
        for (int i = 0; i < shown; i++) {
            Rows.Row r = rows.get(i);
            tableLine(out, locWidth, reasonWidth, clip(Sanitize.text(r.key().location()), locWidth),
                    clip(Sanitize.text(r.key().reasonOrDash()), reasonWidth), Protocols.name(r.key().protocol()),
                    Long.toString(r.total()), percent(data.share(r.total())));
        }
        if (rows.size() > shown) {
            long rest = rows.subList(shown, rows.size()).stream().mapToLong(Rows.Row::total).sum();
            tableLine(out, locWidth, reasonWidth, "(" + (rows.size() - shown) + " more)", "", "",
                    Long.toString(rest), percent(data.share(rest)));
        }
        out.println();
        out.println("BY REASON");
        for (Map.Entry<String, Long> e : data.snapshot().reasons().entrySet()) {
            // "  %-28s %10d  %6s%n", written out as in printLine
            StringBuilder line = new StringBuilder(64).append("  ");
            padRight(line, Sanitize.text(e.getKey().isEmpty() ? "-" : e.getKey()), 28).append(' ');
            padLeft(line, Long.toString(e.getValue()), 10).append("  ");
            out.println(padLeft(line, percent(data.share(e.getValue())), 6));
        }
        writeMeanings(rows.subList(0, shown), out);
    }

    /** {@code "%-LOCs  %-REASONs  %-5s  %10s  %6s%n"}, written out as in {@link #printLine}. */
    private static void tableLine(PrintWriter out, int locWidth, int reasonWidth, String location, String reason,
                                  String proto, String count, String share) {
        StringBuilder line = new StringBuilder(locWidth + reasonWidth + 40);
        padRight(line, location, locWidth).append("  ");
        padRight(line, reason, reasonWidth).append("  ");
        padRight(line, proto, 5).append("  ");
        padLeft(line, count, 10).append("  ");
        out.println(padLeft(line, share, 6));
    }

    /** One catalogue line per distinct reason of the rows shown ({@code droptop explain REASON} has the rest). */
    private static void writeMeanings(List<Rows.Row> shown, PrintWriter out) {
        Set<String> reasons = new LinkedHashSet<>();
        shown.forEach(r -> reasons.add(r.key().reason()));
        out.println();
        out.println("WHAT THE REASONS MEAN (droptop explain REASON for causes)");
        for (String r : reasons) {
            out.println("  " + Sanitize.text(ReasonCatalogue.builtIn().oneLine(r, null)));
        }
    }

    /** Drops per network namespace and device, or why the backend cannot tell them apart. */
    private static void writeNamespaces(ReportData data, PrintWriter out) {
        out.println();
        if (!data.attributed()) {
            out.println("BY NETWORK NAMESPACE: " + Sanitize.text(data.unattributedNote()));
            return;
        }
        out.println("BY NETWORK NAMESPACE");
        namespaceLine(out, "NETNS", "INODE", "DEVICE", "COUNT", "SHARE", "PROCESS / CONTAINER");
        for (Map.Entry<dev.droptop.model.DropKey, Long> e : Rows.byNamespace(data.snapshot())) {
            long ns = e.getKey().netns();
            dev.droptop.model.NetnsInfo i = ns == 0 ? null : data.names().describe(ns);
            String who = "";
            if (i != null) {
                who = (i.pid() > 0 ? "pid " + i.pid() + (i.comm() == null ? "" : " " + i.comm()) : "")
                        + (i.container() == null ? "" : (i.pid() > 0 ? ", " : "") + (i.runtime() == null ? "container"
                        : i.runtime()) + " " + i.container().substring(0, Math.min(12, i.container().length())))
                        + (i.pod() == null ? "" : ", pod " + (i.podName() != null ? i.podName() : i.pod()));
            }
            namespaceLine(out, clip(Sanitize.text(i == null ? "-" : i.label()), 24), ns == 0 ? "-" : Long.toString(ns),
                    clip(Sanitize.text(e.getKey().device().isEmpty() ? "-" : e.getKey().device()), 16),
                    Long.toString(e.getValue()), percent(data.share(e.getValue())), Sanitize.text(who));
        }
    }

    /** {@code "  %-24s %-12s %-16s %10s  %6s  %s"} without trailing blanks. */
    private static void namespaceLine(PrintWriter out, String netns, String inode, String device, String count,
                                      String share, String who) {
        StringBuilder line = new StringBuilder(96).append("  ");
        padRight(line, netns, 24).append(' ');
        padRight(line, inode, 12).append(' ');
        padRight(line, device, 16).append(' ');
        padLeft(line, count, 10).append("  ");
        padLeft(line, share, 6).append("  ").append(who);
        out.println(line.toString().stripTrailing());
    }

    /** The top flows per drop point; nothing when the source read no packet headers. */
    private void writeFlows(ReportData data, PrintWriter out) {
        writeFlows(data.snapshot(), top, FlowRows.DEFAULT_PER_POINT, "", out);
    }

    /**
     * The flows section of {@code s}: for each of the top {@code points} drop points (by drops with IP
     * headers) a "FLOWS AT" heading, where its flows went (destination, sources, flows) and its top
     * {@code perPoint} flows, the rest as one "(other flows)" line; every line starts with {@code indent}.
     * Nothing when {@code s} has no flows. The lab writes its dropped flows with this too.
     */
    public static void writeFlows(Snapshot s, int points, int perPoint, String indent, PrintWriter out) {
        int n = 0;
        for (FlowRows.Point p : FlowRows.of(s, perPoint)) {
            if (n++ == points) {
                break;
            }
            out.println();
            out.println(indent + "FLOWS AT " + Sanitize.text(p.key().location()) + " "
                    + Sanitize.text(p.key().reasonOrDash()) + " (" + p.total() + " drops with IP headers)");
            for (FlowRows.Target t : FlowRows.targets(s, p.key(), 3)) {
                out.println(indent + "  to " + Sanitize.text(FlowRows.endpoint(t.dst(), t.dport(), t.proto())) + " "
                        + dev.droptop.model.Flow.protoName(t.proto()) + ": " + t.count() + " drops from " + t.sources()
                        + " source" + (t.sources() == 1 ? "" : "s") + " in " + t.flows() + " flow"
                        + (t.flows() == 1 ? "" : "s"));
            }
            flowLine(out, indent, "SOURCE", "DESTINATION", "PROTO", "COUNT", "SHARE");
            for (dev.droptop.model.FlowCount f : p.flows()) {
                dev.droptop.model.Flow fl = f.flow();
                double share = p.total() == 0 ? 0 : (double) f.count() / p.total();
                if (fl.isOther()) {
                    flowLine(out, indent, "(other flows)", "", "", Long.toString(f.count()), percent(share));
                } else {
                    String dst = FlowRows.endpoint(fl.dst(), fl.dport(), fl.proto());
                    String icmp = FlowRows.icmp(fl);
                    flowLine(out, indent, Sanitize.text(FlowRows.endpoint(fl.src(), fl.sport(), fl.proto())),
                            Sanitize.text(icmp.isEmpty() ? dst : dst + " " + icmp), fl.protoName(),
                            Long.toString(f.count()), percent(share));
                }
            }
        }
    }

    /** {@code indent + "  %-47s  %-47s  %-6s  %10s  %6s"}. */
    private static void flowLine(PrintWriter out, String indent, String src, String dst, String proto, String count,
                                 String share) {
        StringBuilder line = new StringBuilder(140).append(indent).append("  ");
        padRight(line, src, 47).append("  ");
        padRight(line, dst, 47).append("  ");
        padRight(line, proto, 6).append("  ");
        padLeft(line, count, 10).append("  ");
        out.println(padLeft(line, share, 6));
    }

    private static void writeFindings(ReportData data, PrintWriter out) {
        if (data.findings().isEmpty()) {
            return;
        }
        out.println();
        out.println("DIAGNOSIS");
        for (Finding f : data.findings()) {
            out.println("* [" + f.severity().label() + "] " + Sanitize.text(f.summary()));
            out.println("  evidence: " + Sanitize.text(f.evidence()));
            out.println("  advice:   " + Sanitize.text(f.advice()));
        }
    }

    private static void writeTrees(Snapshot s, boolean fit, PrintWriter out) {
        boolean anyStack = s.rows().stream().anyMatch(r -> r.stacks().stream().anyMatch(x -> x.stackId() != 0));
        if (!anyStack) {
            out.println();
            out.println("No call chains in this trace (record them with perf record -g or droptop capture --stacks).");
            return;
        }
        int n = 0;
        for (Map.Entry<String, Long> e : s.symbols().entrySet()) {
            if (n++ == TREES) {
                break;
            }
            CallerTree.Node root = CallerTree.ofSymbol(s, e.getKey());
            out.println();
            out.println("CALLERS OF " + Sanitize.text(e.getKey()) + " (" + e.getValue() + " drops, "
                    + percent(s.total() == 0 ? 0 : (double) e.getValue() / s.total()) + " of all)");
            if (root.children().isEmpty()) {
                out.println("  (no call chains in this trace: record with stacks, e.g. perf record -g)");
                continue;
            }
            writeNode(root, root.count(), "", "", fit, out);
        }
    }

    /**
     * Prints a node and its callers. A single caller continues the chain at the same indent
     * ({@code <- ip_rcv}); several callers branch with {@code +-} / {@code `-} and {@code |} guides.
     */
    private static void writeNode(CallerTree.Node node, long rootCount, String prefix, String lead, boolean fit,
                                  PrintWriter out) {
        printLine(prefix + lead + Sanitize.text(node.frame()), node.count(), rootCount, fit, out);
        List<CallerTree.Node> kids = new ArrayList<>();
        long other = 0;
        for (CallerTree.Node c : node.children()) {
            if ((double) c.count() / rootCount < MIN_CALLER_SHARE) {
                other += c.count();
            } else {
                kids.add(c);
            }
        }
        int hidden = node.children().size() - kids.size();
        if (node.depth() >= MAX_DEPTH && !kids.isEmpty()) {
            out.println("  " + prefix + "   ... (deeper callers cut; see --format collapsed)");
            return;
        }
        String childPrefix = lead.equals("+- ") ? prefix + "|  " : lead.equals("`- ") ? prefix + "   " : prefix;
        if (kids.size() == 1 && hidden == 0) {
            writeNode(kids.get(0), rootCount, childPrefix, "<- ", fit, out);
            return;
        }
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1 && hidden == 0;
            writeNode(kids.get(i), rootCount, childPrefix, last ? "`- " : "+- ", fit, out);
        }
        if (hidden > 0) {
            printLine(childPrefix + "`- (" + hidden + " other callers)", other, rootCount, fit, out);
        }
    }

    /**
     * {@code "  %-64s %10d  %6s"}: the tree lines are most of a report (see {@link dev.droptop.model.Decimals}
     * for why not printf).
     */
    private static void printLine(String label, long count, long rootCount, boolean fit, PrintWriter out) {
        StringBuilder line = new StringBuilder(96).append("  ");
        padRight(line, fit ? clip(label, 64) : label, 64).append(' ');
        padLeft(line, Long.toString(count), 10).append("  ");
        padLeft(line, percent((double) count / rootCount), 6);
        out.println(line);
    }

    /** Warnings about lines that were dropped, as opposed to remarks about values kept as they are. */
    private static boolean isSkip(String kind) {
        return !(kind.contains("unknown reason") || kind.contains("unresolved") || kind.contains("not mapped")
                || kind.contains("saturated"));
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }
}
