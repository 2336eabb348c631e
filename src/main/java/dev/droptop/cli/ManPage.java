package dev.droptop.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * droptop(1), written as troff (man macros) from the same command tree as {@code --help}, so the two
 * cannot disagree; and the completion script. Maven runs {@link #main} with the jar ({@code
 * target/man/droptop.1}, {@code target/completion/droptop.bash}).
 *
 * <p>Not picocli-codegen's ManPageGenerator: that writes AsciiDoc, which needs Asciidoctor (Ruby or
 * the 50 MB AsciidoctorJ) to become a man page; this is plain troff in a few milliseconds.
 */
public final class ManPage {
    private ManPage() {
    }

    /** {@code ManPage MANFILE [COMPLETIONFILE]}. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), render());
        if (args.length > 1) {
            write(Path.of(args[1]), CompletionCommand.script());
        }
    }

    private static void write(Path file, String text) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The whole page. */
    static String render() {
        CommandLine root = Main.commandLine();
        StringBuilder sb = new StringBuilder(16384);
        sb.append(".\\\" Generated from droptop's commands by dev.droptop.cli.ManPage; do not edit.\n");
        sb.append(".TH DROPTOP 1 \"\" \"droptop ").append(esc(Main.VERSION)).append("\" \"User Commands\"\n");
        sb.append(".SH NAME\ndroptop \\- find where and why the Linux kernel drops packets\n");
        sb.append(".SH SYNOPSIS\n");
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!sub.getCommandName().equals("help")) {
                sb.append(".B droptop ").append(esc(sub.getCommandName())).append("\n[\\fIOPTIONS\\fR] ...\n.br\n");
            }
        }
        sb.append(".SH DESCRIPTION\n");
        paragraphs(root.getCommandSpec().usageMessage().description(), sb);
        sb.append(".PP\nWithout a command, droptop runs \\fBlive\\fR. Every command takes \\fB\\-h\\fR/\\fB\\-\\-help\\fR"
                + " and \\fB\\-V\\fR/\\fB\\-\\-version\\fR. A FILE argument of \\fB\\-\\fR reads standard input and"
                + " \\fB\\-o \\-\\fR writes standard output; \\fB\\-\\-format\\fR defaults to what the \\fB\\-o\\fR"
                + " file's extension names (.txt .json .csv .html .folded .collapsed).\n");
        sb.append(".SH COMMANDS\n");
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!sub.getCommandName().equals("help")) {
                command(sub, sb);
            }
        }
        sb.append(".SH EXIT STATUS\n.TP\n0\nok\n.TP\n1\nruntime failure (a backend died, a tool is missing)\n"
                + ".TP\n2\nbad usage or unreadable input (one line on standard error)\n");
        sb.append(".SH FILES\n.TP\n/sys/kernel/tracing/instances/droptop\\-PID\ntracefs instance of the tracefs backend,"
                + " removed on exit\n.TP\n/run/droptop\\-lab.state\nthe nf_conntrack_max to restore after a killed"
                + " \\fBlab\\fR run\n");
        sb.append(".SH SEE ALSO\n.BR perf (1),\n.BR bpftrace (8),\n.BR conntrack (8),\n.BR nft (8)\n");
        return sb.toString();
    }

    private static void command(CommandLine cl, StringBuilder sb) {
        CommandSpec spec = cl.getCommandSpec();
        sb.append(".SS ").append(esc(spec.qualifiedName())).append('\n');
        sb.append(".nf\n").append(esc(synopsis(cl))).append("\n.fi\n");
        paragraphs(spec.usageMessage().description(), sb);
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                sb.append(".TP\n\\fI").append(esc(p.paramLabel())).append("\\fR").append(p.isMultiValue() ? "..." : "")
                        .append('\n').append(esc(String.join(" ", p.description()))).append('\n');
            }
        }
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            sb.append(".TP\n");
            List<String> names = List.of(o.names());
            for (int i = 0; i < names.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append("\\fB").append(esc(names.get(i))).append("\\fR");
            }
            if (o.arity().max() > 0) {
                sb.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
            }
            sb.append('\n').append(esc(String.join(" ", o.description()))).append('\n');
        }
        List<String> footer = List.of(spec.usageMessage().footer());
        if (footer.stream().anyMatch(l -> l.startsWith("  "))) {
            sb.append(".PP\nExamples:\n.PP\n.nf\n.RS\n");
            for (String l : footer) {
                if (l.startsWith("  ")) {
                    sb.append(esc(l.strip())).append('\n');
                }
            }
            sb.append(".RE\n.fi\n");
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            command(sub, sb);
        }
    }

    /** The synopsis as --help shows it at 78 columns, without colours. */
    private static String synopsis(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        CommandLine.Help help = cl.getHelpFactory().create(spec,
                CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        spec.usageMessage().width(78);
        String heading = " ".repeat(HelpLayout.visible(help.synopsisHeading()));
        return HelpLayout.synopsis(help).strip().replace("\n" + heading, "\n");
    }

    private static void paragraphs(String[] lines, StringBuilder sb) {
        for (String l : lines) {
            if (!l.isBlank()) {
                sb.append(".PP\n").append(esc(String.format(Locale.ROOT, l.replace("%n", " ")))).append('\n');
            }
        }
    }

    /** troff escaping: backslashes, hyphens that are minus signs, and a leading dot or quote. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (String line : s.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            String e = line.replace("\\", "\\e").replace("-", "\\-");
            if (e.startsWith(".") || e.startsWith("'")) {
                e = "\\&" + e;
            }
            out.append(e);
        }
        return out.toString();
    }
}
