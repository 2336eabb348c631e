package dev.droptop.cli;

import dev.droptop.model.FrameKind;
import dev.droptop.model.Profile;
import dev.droptop.model.TraceKernel;
import dev.droptop.report.ProfileReport;
import dev.droptop.run.Durations;
import dev.droptop.run.OutputPath;
import dev.droptop.run.UserError;
import dev.droptop.source.CpuProfile;
import dev.droptop.source.StdinInput;
import dev.droptop.source.TraceInput;
import dev.droptop.system.HostInfo;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.PerfArchive;
import dev.droptop.tui.ProfileData;
import dev.droptop.tui.ProfileUi;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code droptop profile}: a system-wide CPU call graph around one kernel symbol. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"CPU profile around a kernel symbol: its callers and callees.",
                "Records a system-wide profile with call graphs (perf record -a -g -e cpu-clock) and shows SYM's callers"
                        + " and callees as trees (%% of SYM's samples) and SYM's share of all samples. Without --symbol:"
                        + " the top kernel network symbols, total and self. Needs root and perf.",
                "--input reads perf script text of any perf version (or a perf.data): one event per profile (the first,"
                        + " or --event NAME); samples weigh their period, as in perf report.",
                "On a terminal without --format or -o: an interactive screen (Enter folds or opens, Tab, q). -o FILE.html"
                        + " (or --format html): a flame graph of the whole profile; -o FILE.json or .txt: the report"
                        + " into FILE.",
                "Ctrl-C or SIGTERM while recording stops early and shows the profile so far."},
        footer = {"", "Examples:",
                "  droptop profile --symbol nf_hook_slow --duration 10s",
                "  droptop profile --symbol nf_hook_slow -o cpu.data -- ip netns exec lab ./load",
                "  droptop profile --input cpu.data -o cpu.json",
                "  droptop profile --input cpu.data -o cpu.html",
                "  droptop profile --input perf.txt --event instructions",
                "  perf script -i cpu.data | droptop profile --input - --symbol tcp_v4_rcv"})
final class ProfileCommand implements Callable<Integer> {
    @Option(names = "--symbol", paramLabel = "SYM", description = "The kernel function to look at")
    String symbol;

    @Option(names = "--duration", paramLabel = "D", description = "Recording length without CMD (default: ${DEFAULT-VALUE})")
    String duration = "10s";

    @Option(names = "--frequency", paramLabel = "HZ", description = "Samples per second per CPU (default: ${DEFAULT-VALUE})")
    int frequency = 999;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "FILE ending in .html, .json or .txt (or with --format html): the report goes there, - is standard"
                    + " output; any other FILE keeps the recorded perf.data (default: discarded)")
    Path output;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Read an existing perf.data or perf script text; - for standard input")
    Path input;

    @Option(names = "--event", paramLabel = "NAME",
            description = "With --input: the event to profile (default: the first in the trace; others are listed)")
    String event;

    @Option(names = "--format", paramLabel = "FMT",
            description = "text, json or html (default: from -o's extension, else the screen on a terminal, else text)")
    String format;

    @Option(names = "--top", paramLabel = "N", description = "Symbols listed without --symbol (default: ${DEFAULT-VALUE})")
    int top = 25;

    @Parameters(paramLabel = "CMD", arity = "0..*", description = "Load command to profile (after --)")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        check();
        String fmt = format != null ? format : Outputs.fromExtension(output);
        // -o is the report when its extension names a format, when it is -, and for --format html (the page);
        // any other name keeps the recorded perf.data (with --format json/text the report goes to stdout)
        boolean reportToOutput = output != null && (Outputs.isStdout(output) || Outputs.fromExtension(output) != null
                || "html".equals(format));
        Path report = reportToOutput ? output : null;
        Path data = input != null ? input : record(reportToOutput ? null : output);
        String source = StdinInput.displayName(data);
        Profile profile;
        try {
            profile = read(data);
        } finally {
            if (input == null && (output == null || reportToOutput)) {
                Files.deleteIfExists(data);
            }
        }
        if (input == null) {
            source = output != null && !reportToOutput ? output.toString() : "the recording";
        }
        Profile.Focus focus = symbol == null ? null : focus(profile);
        if (fmt == null && report == null && HostInfo.isTerminal(1)) {
            ProfileUi.runOnTerminal(new ProfileData(profile, source, top), symbol);
        } else if ("html".equals(fmt)) {
            writeHtml(source, profile, report);
        } else {
            write(source, profile, focus, "json".equals(fmt), report);
        }
        return Main.OK;
    }

    /** SYM's view; a symbol that is in no sample is one line and exit 2, naming close matches. */
    private Profile.Focus focus(Profile profile) {
        Profile.Focus f = profile.focus(symbol);
        if (f.total() > 0) {
            return f;
        }
        List<String> near = new ArrayList<>();
        for (Profile.SymbolCount c : profile.top(name -> name.contains(symbol) || symbol.contains(name)
                && name.length() > 3, 3)) {
            near.add(c.symbol());
        }
        throw new UserError(dev.droptop.model.Sanitize.text(symbol) + ": in none of the " + profile.total()
                + " samples' call chains" + (near.isEmpty() ? "" : " (did you mean " + String.join(", ", near) + "?)"));
    }

    @Mixin
    SymbolOptions symbols = new SymbolOptions();

    /**
     * The profile through perf script; with --archive its kernel tables go to a temporary build-id
     * cache that perf matches by build-id itself; --kallsyms is passed on unless the recording's kernel
     * map says it is of another build (then a warning, and perf's own search).
     */
    private Profile read(Path data) throws IOException {
        if (symbols.kallsyms == null && symbols.archive == null) {
            return CpuProfile.read(data, event);
        }
        List<String> perf = new ArrayList<>();
        List<String> script = new ArrayList<>();
        Path cache = null;
        try {
            if (symbols.archive != null) {
                cache = Files.createTempDirectory("droptop-buildid");
                try {
                    PerfArchive.extract(symbols.archive, cache);
                } catch (IOException e) {
                    throw new UserError(e.getMessage());
                }
                perf.addAll(List.of("--buildid-dir", cache.toString()));
            }
            if (symbols.kallsyms != null) {
                Kallsyms k = Kallsyms.load(symbols.kallsyms);
                if (k.size() == 0) {
                    throw new UserError(symbols.kallsyms + ": no kernel text symbols in it");
                }
                TraceKernel t = TraceInput.kernelOf(data);
                if (t.textSize() != 0 && k.textSize() != 0 && t.textSize() != k.textSize()) {
                    System.err.println("droptop: warning: --kallsyms " + symbols.kallsyms + " is of another build than "
                            + data + " (kernel text 0x" + Long.toHexString(k.textSize()) + " bytes, the recording's 0x"
                            + Long.toHexString(t.textSize()) + "): not used");
                } else {
                    script.addAll(List.of("--kallsyms", symbols.kallsyms.toString()));
                }
            }
            return CpuProfile.read(data, event, perf, script);
        } finally {
            if (cache != null) {
                deleteTree(cache);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void check() throws IOException {
        if (format != null && !format.equals("text") && !format.equals("json") && !format.equals("html")) {
            throw new UserError("unknown --format " + format + " (use text, json or html)");
        }
        String ext = Outputs.fromExtension(output);
        if (format == null && ext != null && !List.of("text", "json", "html").contains(ext)) {
            throw new UserError(output + ": profile writes text (.txt), JSON (.json) or HTML (.html), or keeps the"
                    + " perf.data under any other name");
        }
        if (frequency < 1 || top < 1) {
            throw new UserError("--frequency and --top must be at least 1");
        }
        if (input != null && !command.isEmpty()) {
            throw new UserError("--input reads a saved profile: give no command");
        }
        if (output != null) {
            OutputPath.check(output);
        }
    }

    private void writeHtml(String source, Profile profile, Path report) throws IOException {
        List<Profile.SymbolCount> t = profile.top(FrameKind::isNetwork, top);
        try (Writer w = new OutputStreamWriter(Outputs.open(report), StandardCharsets.UTF_8)) {
            new ProfileReport().writeHtml(source, profile, t, symbol, w);
        }
    }

    /**
     * Records into {@code keep}, or a temporary file removed at exit however the JVM ends. Ctrl-C or
     * SIGTERM while recording ends the recording early, as with perf record: perf gets SIGINT,
     * finishes its file, and the profile of the time so far is shown. A second signal ends droptop.
     */
    private Path record(Path keep) throws IOException {
        double seconds = Durations.parse(duration, "--duration") / 1e9;
        Path out = keep != null ? keep : Files.createTempFile("droptop-profile", ".data");
        if (keep == null) {
            out.toFile().deleteOnExit();
        }
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        List<sun.misc.Signal> installed = new ArrayList<>();
        try {
            CpuProfile.record(out, frequency, seconds, command, perf -> {
                for (String name : new String[] {"INT", "TERM"}) {
                    try {
                        sun.misc.Signal sig = new sun.misc.Signal(name);
                        sun.misc.Signal.handle(sig, s -> {
                            if (stopped.compareAndSet(false, true)) {
                                System.err.println("droptop: SIG" + name + ": recording stopped early;"
                                        + " reading what perf has");
                            }
                            perf.interrupt();
                        });
                        installed.add(sig);
                    } catch (IllegalArgumentException e) {
                        // not available here: the default handling ends droptop and perf with it
                    }
                }
            });
        } finally {
            for (sun.misc.Signal sig : installed) {
                sun.misc.Signal.handle(sig, sun.misc.SignalHandler.SIG_DFL);
            }
        }
        return out;
    }

    private void write(String source, Profile profile, Profile.Focus focus, boolean json, Path report)
            throws IOException {
        ProfileReport r = new ProfileReport();
        try (OutputStream out = Outputs.open(report)) {
            PrintWriter pw = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            if (focus == null) {
                List<Profile.SymbolCount> t = profile.top(FrameKind::isNetwork, top);
                if (json) {
                    r.writeTopJson(source, profile, t, out);
                } else {
                    r.writeTop(source, profile, t, pw);
                }
            } else if (json) {
                r.writeJson(source, profile, focus, out);
            } else {
                r.writeText(source, profile, focus, pw);
            }
            pw.flush();
            if (pw.checkError()) {
                throw new IOException("Broken pipe");
            }
        }
    }
}
