package dev.droptop.source;

import dev.droptop.model.DropSink;
import dev.droptop.parse.DropwatchParser;
import dev.droptop.system.HostFacts;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.TracepointFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * SystemTap: {@code stap --all-modules stap/dropwatch-reason.stp} (location and reason; plain
 * {@code dropwatch.stp} where the tracepoint has no reason), counted in the kernel and printed every
 * 5 s, read by {@link DropwatchParser}:
 * <pre>
 * Monitoring for dropped packets
 *
 * Mon Nov 23 09:40:12 2026
 * 10031 packets dropped at nf_hook_slow+0x7d/0x110 [kernel] for reason: 12
 * </pre>
 * stap compiles a kernel module, so it needs loadable modules and the kernel build tree; where they
 * are missing {@link #check()} says so in one line. The interval ends are stamped on arrival (stap
 * prints wall-clock {@code ctime} headers). The executable is injectable so tests can run the
 * launch/stream/stop path with a stand-in that prints the documented format.
 */
public final class StapBackend implements Backend {
    public static final String SCRIPT = "stap/dropwatch-reason.stp";
    public static final String PLAIN_SCRIPT = "stap/dropwatch.stp";
    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final String executable;
    private final Scripts scripts;
    private final Supplier<HostFacts> facts;

    public StapBackend() {
        this("stap", Scripts.defaults(), HostFacts::read);
    }

    /** {@code executable}: "stap" (looked up on the PATH) or a path (a stand-in in tests). */
    public StapBackend(String executable, Scripts scripts, Supplier<HostFacts> facts) {
        this.executable = executable;
        this.scripts = scripts;
        this.facts = facts;
    }

    @Override
    public String name() {
        return "stap";
    }

    /**
     * stap installed, root, loadable modules, kernel build tree, our scripts; for example here:
     * {@code this kernel cannot load kernel modules (no /proc/modules), which SystemTap needs}.
     */
    @Override
    public Availability check() {
        HostFacts host = facts.get();
        if (!Tools.onPath(executable)) {
            return Availability.no("stap (SystemTap) is not installed", "apt-get install systemtap");
        }
        if (!host.modulesListed()) {
            return Availability.no("this kernel cannot load kernel modules (no /proc/modules), which SystemTap needs",
                    "use --backend bpftrace, perf or tracefs");
        }
        if (host.modulesDisabled()) {
            return Availability.no("kernel module loading is disabled (kernel.modules_disabled=1), which SystemTap"
                    + " needs", "reboot (modules_disabled cannot be reset); or use --backend bpftrace");
        }
        if (!host.isRoot()) {
            return Availability.no("needs root (or membership in the stapdev group)", "run droptop as root (sudo)");
        }
        if (!Files.isDirectory(host.buildTree())) {
            return Availability.no("no kernel build tree at " + host.buildTree() + ", which SystemTap compiles against",
                    "apt-get install linux-headers-" + host.release() + " (or run stap-prep)");
        }
        if (scripts.find(SCRIPT) == null) {
            return Availability.no(scripts.missing(SCRIPT), "reinstall droptop");
        }
        return Availability.works(Tools.version(executable, "-V") + debuginfoHint(host));
    }

    @Override
    public Running start(Options options, DropSink sink, Object lock) throws IOException {
        if (options.stacks()) {
            throw new IOException("the stap backend records no stacks; use --backend bpftrace or perf with --stacks");
        }
        DropwatchParser parser = new DropwatchParser(Kallsyms.lazy(), TracepointFormat.runningKernelReasons(),
                INTERVAL_NANOS);
        return ChildRun.start(name(), command(), parser, true, line -> false, SessionSink.perCall(sink, lock, SessionSink.Intervals.ARRIVAL));
    }

    /** {@code [setpriv --pdeathsig KILL --] stap --all-modules SCRIPT}. */
    List<String> command() throws IOException {
        boolean reason = facts.get().reasonField();
        Path script = scripts.resolve(reason ? SCRIPT : PLAIN_SCRIPT);
        List<String> cmd = new ArrayList<>(List.of(executable, "--all-modules", script.toString()));
        return ChildRun.withParentDeathSignal(cmd, Tools.onPath("setpriv"));
    }

    /** Kernel debuginfo is optional for our scripts (tracepoint + symdata from kallsyms); say so. */
    private static String debuginfoHint(HostFacts host) {
        Path debug = host.root().resolve("usr/lib/debug/lib/modules").resolve(host.release()).resolve("vmlinux");
        Path boot = host.root().resolve("usr/lib/debug/boot/vmlinux-" + host.release());
        return Files.exists(debug) || Files.exists(boot) ? ", kernel debuginfo present"
                : ", no kernel debuginfo (not needed by droptop's scripts; stap-prep installs it)";
    }
}
