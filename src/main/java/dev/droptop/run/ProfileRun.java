package dev.droptop.run;

import dev.droptop.model.FrameKind;
import dev.droptop.model.Profile;
import dev.droptop.model.Sanitize;
import dev.droptop.model.TraceKernel;
import dev.droptop.report.ProfileReport;
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
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * One {@code droptop profile}: records a system-wide CPU profile with call graphs (or reads a saved
 * one), then shows it on the terminal's screen or writes the text, JSON or HTML report. The recorded
 * perf.data is removed unless {@code -o} keeps it.
 */
public final class ProfileRun {
    private final ProfileSettings s;
    private final PrintStream err;

    public ProfileRun(ProfileSettings settings, PrintStream err) {
        this.s = settings;
        this.err = err;
    }

    public void run() throws IOException, InterruptedException {
        check();
        Path output = s.output();
        String fmt = s.format() != null ? s.format() : Outputs.fromExtension(output);
        // -o is the report when its extension names a format, when it is -, and for --format html (the page);
        // any other name keeps the recorded perf.data (with --format json/text the report goes to stdout)
        boolean reportToOutput = output != null && (Outputs.isStdout(output) || Outputs.fromExtension(output) != null
                || "html".equals(s.format()));
        Path report = reportToOutput ? output : null;
        Path data = s.input() != null ? s.input() : record(reportToOutput ? null : output);
        String source = StdinInput.displayName(data);
        Profile profile;
        try {
            profile = read(data);
        } finally {
            if (s.input() == null && (output == null || reportToOutput)) {
                Files.deleteIfExists(data);
            }
        }
        if (s.input() == null) {
            source = output != null && !reportToOutput ? output.toString() : "the recording";
        }
        Profile.Focus focus = s.symbol() == null ? null : focus(profile);
        if (fmt == null && report == null && HostInfo.isTerminal(1)) {
            ProfileUi.runOnTerminal(new ProfileData(profile, source, s.top()), s.symbol());
        } else if ("html".equals(fmt)) {
            writeHtml(source, profile, report);
        } else {
            write(source, profile, focus, "json".equals(fmt), report);
        }
    }

    private void check() throws IOException {
        String format = s.format();
        if (format != null && !format.equals("text") && !format.equals("json") && !format.equals("html")) {
            throw new UserError("unknown --format " + format + " (use text, json or html)");
        }
        String ext = Outputs.fromExtension(s.output());
        if (format == null && ext != null && !List.of("text", "json", "html").contains(ext)) {
            throw new UserError(s.output() + ": profile writes text (.txt), JSON (.json) or HTML (.html), or keeps the"
                    + " perf.data under any other name");
        }
        if (s.frequency() < 1 || s.top() < 1) {
            throw new UserError("--frequency and --top must be at least 1");
        }
        if (s.input() != null && !s.command().isEmpty()) {
            throw new UserError("--input reads a saved profile: give no command");
        }
        if (s.output() != null) {
            OutputPath.check(s.output());
        }
    }

    /** SYM's view; a symbol that is in no sample is one line and exit 2, naming close matches. */
    private Profile.Focus focus(Profile profile) {
        String symbol = s.symbol();
        Profile.Focus f = profile.focus(symbol);
        if (f.total() > 0) {
            return f;
        }
        List<String> near = new ArrayList<>();
        for (Profile.SymbolCount c : profile.top(name -> name.contains(symbol) || symbol.contains(name)
                && name.length() > 3, 3)) {
            near.add(c.symbol());
        }
        throw new UserError(Sanitize.text(symbol) + ": in none of the " + profile.total()
                + " samples' call chains" + (near.isEmpty() ? "" : " (did you mean " + String.join(", ", near) + "?)"));
    }

    /**
     * The profile through perf script; with --archive its kernel tables go to a temporary build-id
     * cache that perf matches by build-id itself; --kallsyms is passed on unless the recording's kernel
     * map says it is of another build (then a warning, and perf's own search).
     */
    private Profile read(Path data) throws IOException {
        if (s.kallsyms() == null && s.archive() == null) {
            return CpuProfile.read(data, s.event());
        }
        List<String> perf = new ArrayList<>();
        List<String> script = new ArrayList<>();
        Path cache = null;
        try {
            if (s.archive() != null) {
                cache = Files.createTempDirectory("droptop-buildid");
                try {
                    PerfArchive.extract(s.archive(), cache);
                } catch (IOException e) {
                    throw new UserError(e.getMessage());
                }
                perf.addAll(List.of("--buildid-dir", cache.toString()));
            }
            if (s.kallsyms() != null) {
                Kallsyms k = Kallsyms.load(s.kallsyms());
                if (k.size() == 0) {
                    throw new UserError(s.kallsyms() + ": no kernel text symbols in it");
                }
                TraceKernel t = TraceInput.kernelOf(data);
                if (t.textSize() != 0 && k.textSize() != 0 && t.textSize() != k.textSize()) {
                    err.println("droptop: warning: --kallsyms " + s.kallsyms() + " is of another build than "
                            + data + " (kernel text 0x" + Long.toHexString(k.textSize()) + " bytes, the recording's 0x"
                            + Long.toHexString(t.textSize()) + "): not used");
                } else {
                    script.addAll(List.of("--kallsyms", s.kallsyms().toString()));
                }
            }
            return CpuProfile.read(data, s.event(), perf, script);
        } finally {
            if (cache != null) {
                deleteTree(cache);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Records into {@code keep}, or a temporary file removed at exit however the JVM ends. Ctrl-C or
     * SIGTERM while recording ends the recording early, as with perf record: perf gets SIGINT,
     * finishes its file, and the profile of the time so far is shown. A second signal ends droptop.
     */
    private Path record(Path keep) throws IOException {
        double seconds = Durations.parse(s.duration(), "--duration") / 1e9;
        Path out = keep != null ? keep : Files.createTempFile("droptop-profile", ".data");
        if (keep == null) {
            out.toFile().deleteOnExit();
        }
        AtomicBoolean stopped = new AtomicBoolean();
        List<sun.misc.Signal> installed = new ArrayList<>();
        try {
            CpuProfile.record(out, s.frequency(), seconds, s.command(), perf -> {
                for (String name : new String[] {"INT", "TERM"}) {
                    try {
                        sun.misc.Signal sig = new sun.misc.Signal(name);
                        sun.misc.Signal.handle(sig, signal -> {
                            if (stopped.compareAndSet(false, true)) {
                                err.println("droptop: SIG" + name + ": recording stopped early;"
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

    private void writeHtml(String source, Profile profile, Path report) throws IOException {
        List<Profile.SymbolCount> t = profile.top(FrameKind::isNetwork, s.top());
        try (Writer w = new OutputStreamWriter(Outputs.open(report), StandardCharsets.UTF_8)) {
            new ProfileReport().writeHtml(source, profile, t, s.symbol(), w);
        }
    }

    private void write(String source, Profile profile, Profile.Focus focus, boolean json, Path report)
            throws IOException {
        ProfileReport r = new ProfileReport();
        try (OutputStream out = Outputs.open(report)) {
            PrintWriter pw = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            if (focus == null) {
                List<Profile.SymbolCount> t = profile.top(FrameKind::isNetwork, s.top());
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
