package dev.droptop.cli;

import dev.droptop.model.FrameKind;
import dev.droptop.model.Profile;
import dev.droptop.report.ProfileReport;
import dev.droptop.source.CpuProfile;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code droptop profile}: a system-wide CPU call graph around one kernel symbol. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"CPU profile around a kernel symbol: its callers and callees.",
                "Records a system-wide profile with call graphs (perf record -a -g -e cpu-clock) and shows",
                "SYM's callers and callees as trees (% of SYM's samples) and SYM's share of all samples.",
                "Without --symbol: the top kernel network symbols, total and self. Needs root and perf."},
        footer = {"", "Examples:",
                "  droptop profile --symbol nf_hook_slow --duration 10s",
                "  droptop profile --symbol nf_hook_slow -o cpu.data -- ip netns exec lab1 ./load.sh",
                "  droptop profile --input cpu.data --format json"})
final class ProfileCommand implements Callable<Integer> {
    @Option(names = "--symbol", paramLabel = "SYM", description = "The kernel function to look at")
    String symbol;

    @Option(names = "--duration", paramLabel = "D", description = "Recording length without CMD (default: ${DEFAULT-VALUE})")
    String duration = "10s";

    @Option(names = "--frequency", paramLabel = "HZ", description = "Samples per second per CPU (default: ${DEFAULT-VALUE})")
    int frequency = 999;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Keep the perf.data here (default: discarded)")
    Path output;

    @Option(names = "--input", paramLabel = "FILE", description = "Read an existing perf.data or perf script text")
    Path input;

    @Option(names = "--format", paramLabel = "FMT", description = "text or json (default: ${DEFAULT-VALUE})")
    String format = "text";

    @Option(names = "--top", paramLabel = "N", description = "Symbols listed without --symbol (default: ${DEFAULT-VALUE})")
    int top = 25;

    @Parameters(paramLabel = "CMD", arity = "0..*", description = "Load command to profile (after --)")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UserError("unknown --format " + format + " (use text or json)");
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
        Path data = input != null ? input : record();
        Profile profile = CpuProfile.read(data);
        if (input == null && output == null) {
            Files.deleteIfExists(data);
        }
        write(data.toString(), profile);
        return Main.OK;
    }

    private Path record() throws IOException {
        double seconds = Durations.parse(duration, "--duration") / 1e9;
        Path out = output != null ? output : Files.createTempFile("droptop-profile", ".data");
        CpuProfile.record(out, frequency, seconds, command);
        return out;
    }

    private void write(String source, Profile profile) throws IOException {
        ProfileReport r = new ProfileReport();
        PrintWriter pw = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        if (symbol == null) {
            List<Profile.SymbolCount> t = profile.top(FrameKind::isNetwork, top);
            if (format.equals("json")) {
                r.writeTopJson(source, profile.total(), t, System.out);
            } else {
                r.writeTop(source, profile.total(), t, pw);
            }
        } else if (format.equals("json")) {
            r.writeJson(source, profile.focus(symbol), System.out);
        } else {
            r.writeText(source, profile.focus(symbol), pw);
        }
        if (pw.checkError()) {
            throw new IOException("Broken pipe");
        }
    }
}
