package dev.droptop.cli;

import dev.droptop.model.FrameKind;
import dev.droptop.model.Profile;
import dev.droptop.report.ProfileReport;
import dev.droptop.model.TraceKernel;
import dev.droptop.source.CpuProfile;
import dev.droptop.source.TraceInput;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.PerfArchive;
import dev.droptop.system.HostInfo;
import dev.droptop.tui.ProfileData;
import dev.droptop.tui.ProfileUi;
import java.io.IOException;
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
                "Records a system-wide profile with call graphs (perf record -a -g -e cpu-clock) and shows",
                "SYM's callers and callees as trees (%% of SYM's samples) and SYM's share of all samples.",
                "Without --symbol: the top kernel network symbols, total and self. Needs root and perf.",
                "On a terminal without --format: an interactive screen (Enter folds or opens, Tab, q).",
                "--format html -o FILE: a flame graph of the whole profile.",
                "Ctrl-C or SIGTERM while recording stops early and shows the profile so far."},
        footer = {"", "Examples:",
                "  droptop profile --symbol nf_hook_slow --duration 10s",
                "  droptop profile --symbol nf_hook_slow -o cpu.data -- ip netns exec lab1 ./load.sh",
                "  droptop profile --input cpu.data --format json",
                "  droptop profile --input cpu.data --format html -o cpu.html"})
final class ProfileCommand implements Callable<Integer> {
    @Option(names = "--symbol", paramLabel = "SYM", description = "The kernel function to look at")
    String symbol;

    @Option(names = "--duration", paramLabel = "D", description = "Recording length without CMD (default: ${DEFAULT-VALUE})")
    String duration = "10s";

    @Option(names = "--frequency", paramLabel = "HZ", description = "Samples per second per CPU (default: ${DEFAULT-VALUE})")
    int frequency = 999;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Keep the perf.data here (default: discarded); with --format html, the page")
    Path output;

    @Option(names = "--input", paramLabel = "FILE", description = "Read an existing perf.data or perf script text")
    Path input;

    @Option(names = "--format", paramLabel = "FMT",
            description = "text, json or html (default: the screen on a terminal, else text)")
    String format;

    @Option(names = "--top", paramLabel = "N", description = "Symbols listed without --symbol (default: ${DEFAULT-VALUE})")
    int top = 25;

    @Parameters(paramLabel = "CMD", arity = "0..*", description = "Load command to profile (after --)")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        check();
        boolean html = "html".equals(format);
        Path data = input != null ? input : record(html ? null : output);
        Profile profile = read(data);
        if (input == null && (output == null || html)) {
            Files.deleteIfExists(data);
        }
        if (format == null && HostInfo.isTerminal(1)) {
            ProfileUi.runOnTerminal(new ProfileData(profile, data.toString(), top), symbol);
        } else if (html) {
            writeHtml(data.toString(), profile);
        } else {
            write(data.toString(), profile);
        }
        return Main.OK;
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
            return CpuProfile.read(data);
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
            return CpuProfile.read(data, perf, script);
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

    private void writeHtml(String source, Profile profile) throws IOException {
        List<Profile.SymbolCount> t = profile.top(FrameKind::isNetwork, top);
        try (Writer w = output == null ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            new ProfileReport().writeHtml(source, profile, t, w);
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

    private void write(String source, Profile profile) throws IOException {
        ProfileReport r = new ProfileReport();
        PrintWriter pw = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        if (symbol == null) {
            List<Profile.SymbolCount> t = profile.top(FrameKind::isNetwork, top);
            if ("json".equals(format)) {
                r.writeTopJson(source, profile.total(), t, System.out);
            } else {
                r.writeTop(source, profile.total(), t, pw);
            }
        } else if ("json".equals(format)) {
            r.writeJson(source, profile.focus(symbol), System.out);
        } else {
            r.writeText(source, profile.focus(symbol), pw);
        }
        if (pw.checkError()) {
            throw new IOException("Broken pipe");
        }
    }
}
