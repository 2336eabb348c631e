package dev.droptop.system;

import dev.droptop.model.SymbolOrigin;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.TraceKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kernel symbols for one trace's raw addresses, from the first source that belongs to the kernel the
 * trace was recorded on: {@code --kallsyms FILE}; perf's build-id cache
 * ({@code ~/.debug/[kernel.kallsyms]/<build-id>/kallsyms}); a {@code perf archive} bundle; the running
 * kernel only when its identity matches (same build-id, or the same release when the trace has no
 * build-id, said in a note). A table whose text size differs from the trace's is another build and is
 * not used; a same-build table of another boot is relocated by the difference of the {@code _text}
 * addresses (KASLR). When nothing fits, addresses stay hex and {@link #origin()} carries one warning.
 * Names the trace carries itself never come here ({@code trace}). Decided at the first address.
 * Thread-safe, so that parsers of chunks of one file may share it.
 */
public final class SymbolSearch implements SymbolResolver {
    public static final String TRACE = "trace";
    public static final String KALLSYMS_FILE = "kallsyms-file";
    public static final String BUILDID_CACHE = "buildid-cache";
    public static final String ARCHIVE = "archive";
    public static final String RUNNING = "running-kernel";
    public static final String NONE = "none";
    /** System property overriding perf's build-id cache directory (tests). */
    public static final String BUILDID_DIR_PROPERTY = "droptop.buildid.dir";

    private final Sources sources;
    private final String input;
    private TraceKernel trace = TraceKernel.UNKNOWN;
    private boolean decided;
    private boolean missed;
    private SymbolResolver chosen;
    private String source = TRACE;
    private String warning;
    private final List<String> notes = new ArrayList<>();

    private SymbolSearch(Sources sources, String input) {
        this.sources = sources;
        this.input = input;
    }

    @Override
    public synchronized void traceKernel(TraceKernel kernel) {
        if (!decided) {
            trace = trace.merge(kernel);
        } else if (!trace.merge(kernel).equals(trace)) {
            trace = trace.merge(kernel); // shown in the report; the choice was made on what came first
        }
    }

    @Override
    public synchronized Resolved resolve(long address) {
        Resolved r = offsetOf(address);
        missed |= r == null;
        return r;
    }

    @Override
    public synchronized Resolved offsetOf(long address) {
        if (!decided) {
            decide();
        }
        return chosen == null ? null : chosen.resolve(address);
    }

    /** What was used, what the trace said about its kernel, the warning when nothing fit. */
    public synchronized SymbolOrigin origin() {
        // the warning only when an address was left hex
        return new SymbolOrigin(input, source, trace, missed ? warning : null,
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    private void decide() {
        decided = true;
        if (sources.kallsyms != null && use(sources.kallsyms, KALLSYMS_FILE, "--kallsyms " + sources.kallsymsPath)) {
            return;
        }
        if (trace.buildId() != null) {
            Kallsyms cached = sources.cached(trace.buildId());
            if (cached != null && use(cached, BUILDID_CACHE, "the build-id cache's kallsyms")) {
                return;
            }
        }
        if (sources.archive != null && archive()) {
            return;
        }
        RunningKernel running = sources.running();
        boolean same = trace.buildId() != null ? trace.buildId().equals(running.buildId())
                : trace.release() != null && trace.release().equals(running.release());
        if (same) {
            Kallsyms table = sources.runningTable();
            if (table.size() == 0) {
                notes.add("the running kernel's symbols are not readable (" + Kallsyms.runningPath() + ")");
            } else if (use(table, RUNNING, "the running kernel's kallsyms")) {
                if (trace.buildId() == null) {
                    notes.add("symbols of the running kernel, matched by release " + trace.release()
                            + (trace.textSize() != 0 ? " and kernel text size" : "") + " only (the trace has no build-id)");
                }
                return;
            }
        }
        source = NONE;
        warning = input + " was recorded on " + trace.describe() + "; this machine runs " + running.describe()
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes))
                + ": kernel addresses the trace does not name are shown as hex. Fix: run `perf archive` on the recording host and pass"
                + " --archive FILE.tar.bz2, or pass --kallsyms with a copy of its /proc/kallsyms";
        notes.clear();
    }

    private boolean archive() {
        Map<String, Kallsyms> a = sources.archive;
        Kallsyms k;
        if (trace.buildId() != null) {
            k = a.get(trace.buildId());
        } else {
            // no build-id to match: only a single kernel whose text size the trace confirms
            k = a.size() == 1 && trace.textSize() != 0 ? a.values().iterator().next() : null;
        }
        if (k == null) {
            notes.add("--archive " + sources.archivePath + " holds build-id " + String.join(", ", a.keySet())
                    + (trace.buildId() != null ? ", not " + trace.buildId() : ", and the trace cannot be matched to it"));
            return false;
        }
        return use(k, ARCHIVE, "--archive " + sources.archivePath);
    }

    /** Uses {@code k} unless its text size says it is another build. */
    private boolean use(Kallsyms k, String kind, String what) {
        if (trace.textSize() != 0 && k.textSize() != 0 && trace.textSize() != k.textSize()) {
            notes.add(what + " is of another build (kernel text 0x" + Long.toHexString(k.textSize())
                    + " bytes, the trace's 0x" + Long.toHexString(trace.textSize()) + "): not used");
            return false;
        }
        chosen = k.relocated(trace.text());
        source = kind;
        if (chosen != k) {
            notes.add("addresses relocated by " + (k.text() - trace.text() < 0 ? "-0x" : "0x")
                    + Long.toHexString(Math.abs(k.text() - trace.text())) + " (same build, another boot: KASLR)");
        }
        return true;
    }

    /** The places to look, shared by the inputs of one command; tables load once. */
    public static final class Sources {
        final Path kallsymsPath;
        final Kallsyms kallsyms;
        final Path archivePath;
        final Map<String, Kallsyms> archive;
        private final Path buildIdDir;
        private final Map<String, Kallsyms> cache = new HashMap<>();
        private RunningKernel running;
        private Kallsyms runningTable;

        private Sources(Path kallsymsPath, Kallsyms kallsyms, Path archivePath, Map<String, Kallsyms> archive) {
            this.kallsymsPath = kallsymsPath;
            this.kallsyms = kallsyms;
            this.archivePath = archivePath;
            this.archive = archive;
            String dir = System.getProperty(BUILDID_DIR_PROPERTY, System.getenv("PERF_BUILDID_DIR"));
            this.buildIdDir = dir != null && !dir.isEmpty() ? Path.of(dir)
                    : Path.of(System.getProperty("user.home"), ".debug");
        }

        /** Reads {@code --kallsyms} and {@code --archive} now (either may be null): bad files fail here, one line. */
        public static Sources of(Path kallsymsFile, Path archiveFile) throws IOException {
            Kallsyms k = null;
            if (kallsymsFile != null) {
                if (!Files.isRegularFile(kallsymsFile)) {
                    throw new IOException(kallsymsFile + ": no such file");
                }
                k = Kallsyms.load(kallsymsFile);
                if (k.size() == 0) {
                    throw new IOException(kallsymsFile + ": no kernel text symbols in it");
                }
            }
            Map<String, Kallsyms> a = archiveFile == null ? null : PerfArchive.read(archiveFile);
            return new Sources(kallsymsFile, k, archiveFile, a);
        }

        /** The search for one input. */
        public SymbolSearch search(String input) {
            return new SymbolSearch(this, input);
        }

        synchronized Kallsyms cached(String buildId) {
            return cache.computeIfAbsent(buildId, id -> {
                Path f = buildIdDir.resolve("[kernel.kallsyms]").resolve(id).resolve("kallsyms");
                if (!id.matches("[0-9a-f]{8,128}") || !Files.isRegularFile(f)) {
                    return null;
                }
                Kallsyms k = Kallsyms.load(f);
                return k.size() == 0 ? null : k;
            });
        }

        synchronized RunningKernel running() {
            if (running == null) {
                running = RunningKernel.read();
            }
            return running;
        }

        synchronized Kallsyms runningTable() {
            if (runningTable == null) {
                runningTable = Kallsyms.load();
            }
            return runningTable;
        }
    }
}
