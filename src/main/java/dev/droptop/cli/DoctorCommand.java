package dev.droptop.cli;

import dev.droptop.run.Doctor;
import dev.droptop.run.UserError;
import dev.droptop.source.Availability;
import dev.droptop.system.HostFacts;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code droptop doctor}: prints {@link Doctor}'s lines or JSON; always exits 0: it reports, it does not judge. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = {"Say which backends work here, and why the others do not."},
        footer = {"", "Examples:", "  droptop doctor", "  droptop doctor --format json"})
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--format", paramLabel = "FMT", description = "text or json (default: ${DEFAULT-VALUE})")
    String format = "text";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UserError("unknown --format " + format + " (text or json)");
        }
        HostFacts host = HostFacts.read();
        Map<String, Availability> checks = Doctor.checks();
        PrintWriter out = spec.commandLine().getOut();
        (format.equals("json") ? List.of(Doctor.json(host, checks)) : Doctor.text(host, checks)).forEach(out::println);
        out.flush();
        return Main.OK;
    }
}
