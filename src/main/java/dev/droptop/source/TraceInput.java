package dev.droptop.source;

import dev.droptop.capture.CaptureReader;
import dev.droptop.model.Counters;
import dev.droptop.model.DropSink;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.SymbolOrigin;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.TraceKernel;
import dev.droptop.model.TracepointLayout;
import dev.droptop.model.Warnings;
import dev.droptop.parse.BpftraceParser;
import dev.droptop.parse.DropwatchParser;
import dev.droptop.parse.FormatGuess;
import dev.droptop.parse.PerfDataReader;
import dev.droptop.parse.PerfSampleParser;
import dev.droptop.parse.PerfScriptParser;
import dev.droptop.parse.TraceFormat;
import dev.droptop.parse.TraceParser;
import dev.droptop.parse.TracefsParser;
import dev.droptop.system.SymbolSearch;
import dev.droptop.system.TracepointFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads a saved trace of any supported kind into a sink: the format is guessed from the content
 * ({@link FormatGuess}); perf.data through {@link PerfDataReader} (perf script as a fallback); captures through
 * {@link CaptureReader}. What cannot be read at all is an {@link IOException} with a one-line message.
 */
public final class TraceInput {
    private TraceInput() {
    }

    /**
     * Symbol and reason tables for traces that carry raw addresses or reason numbers. Suppliers,
     * so that the running kernel's tables are read only when a trace needs them.
     */
    public record Tables(Supplier<SymbolResolver> resolver, Supplier<ReasonNames> reasons,
                         SymbolSearch.Sources symbols) {
        /** Without a symbol search: {@code resolver} is used as it is, whatever kernel the trace is from. */
        public Tables(Supplier<SymbolResolver> resolver, Supplier<ReasonNames> reasons) {
            this(resolver, reasons, null);
        }

        /** The resolver for one input: a fresh search when there are sources, else the supplier's, lazily. */
        SymbolResolver forInput(Path file) {
            return symbols != null ? symbols.search(file.toString()) : lazy(resolver);
        }
    }

    /**
     * What was read: the format, odd lines, remarks for the reader of the report, and the system
     * counters of the intervals, summarised per key (captures only; empty otherwise).
     */
    public record Loaded(TraceFormat format, String backend, long drops, Warnings warnings, List<String> notes,
                         Counters system, SymbolOrigin symbols,
                         java.util.Map<Long, dev.droptop.model.NetnsInfo> namespaces) {
        Loaded(TraceFormat format, String backend, long drops, Warnings warnings, List<String> notes) {
            this(format, backend, drops, warnings, notes, new Counters(), null, java.util.Map.of());
        }

        Loaded withSymbols(SymbolResolver r) {
            return r instanceof SymbolSearch ? new Loaded(format, backend, drops, warnings, notes, system,
                    ((SymbolSearch) r).origin(), namespaces) : this;
        }
    }

    /**
     * Reads {@code file}; {@code -} is standard input, and a pipe given by name ({@code /dev/stdin})
     * is read as a stream too ({@link StdinInput}).
     */
    public static Loaded read(Path file, DropSink sink, Tables tables) throws IOException {
        if (StdinInput.isStream(file)) {
            return readStream(file, sink, tables);
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a trace");
        }
        if (Files.isRegularFile(file) && Files.size(file) == 0) {
            throw new IOException(file + ": empty file");
        }
        SymbolResolver resolver = tables.forInput(file);
        try (InputStream raw = Files.newInputStream(file)) {
            FormatGuess.Guess guess = FormatGuess.guess(raw);
            String name = file.toString();
            switch (guess.format()) {
                case PERF_DATA:
                    return perfData(file, name, sink, tables, resolver).withSymbols(resolver);
                case CAPTURE:
                    return capture(guess.replay(), name, sink);
                case UNKNOWN:
                    String event = cpuProfileEvent(file);
                    if (event != null) {
                        throw new IOException(name + ": a CPU profile (perf script samples of " + event
                                + " with call chains, no skb:kfree_skb drops): read it with droptop profile --input "
                                + name);
                    }
                    throw new IOException(name + ": not a trace droptop can read (expected perf script text, perf.data,"
                            + " tracefs, SystemTap or bpftrace output, or a droptop capture)");
                default:
                    if (guess.format() == TraceFormat.PERF_SCRIPT && Files.isRegularFile(file)
                            && ParallelText.worthIt(Files.size(file))) {
                        Loaded all = parallel(file, name, sink, tables, resolver);
                        if (all != null) {
                            return all.withSymbols(resolver);
                        }
                    }
                    return text(guess.format(), guess.replay(), name, sink, tables, resolver).withSymbols(resolver);
            }
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException(file + ": permission denied");
        }
    }

    /** Standard input or a pipe: text streamed, perf.data spooled to a temporary file that is always removed. */
    private static Loaded readStream(Path file, DropSink sink, Tables tables) throws IOException {
        String name = StdinInput.displayName(file);
        SymbolResolver resolver = tables.forInput(Path.of(name));
        try (InputStream raw = StdinInput.open(file)) {
            FormatGuess.Guess guess = FormatGuess.guess(raw);
            InputStream in = new java.io.PushbackInputStream(guess.replay());
            int first = in.read();
            if (first < 0) {
                throw new IOException(name + ": empty");
            }
            ((java.io.PushbackInputStream) in).unread(first);
            switch (guess.format()) {
                case PERF_DATA:
                    Path tmp = StdinInput.spool(in, name);
                    try {
                        return perfData(tmp, name, sink, tables, resolver).withSymbols(resolver);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                case CAPTURE:
                    return capture(in, name, sink);
                case UNKNOWN:
                    throw new IOException(name + ": not a trace droptop can read (expected perf script text, perf.data,"
                            + " tracefs, SystemTap or bpftrace output, or a droptop capture)");
                default:
                    return text(guess.format(), in, name, sink, tables, resolver).withSymbols(resolver);
            }
        } catch (NoSuchFileException e) {
            throw new IOException(name + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException(name + ": permission denied");
        }
    }

    /** The event of a CPU profile in perf script text (see {@link PerfSampleParser#profileEvent}), or null. */
    private static String cpuProfileEvent(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] prefix = in.readNBytes(FormatGuess.MAX_PREFIX);
            return PerfSampleParser.profileEvent(prefix, prefix.length);
        }
    }

    /** A parser for a text format. */
    public static TraceParser parser(TraceFormat format, Tables tables) {
        return parser(format, tables, lazy(tables.resolver()));
    }

    private static TraceParser parser(TraceFormat format, Tables tables, SymbolResolver resolver) {
        switch (format) {
            case PERF_SCRIPT: return new PerfScriptParser(resolver);
            case TRACEFS: return new TracefsParser(resolver, tables.reasons().get());
            case STAP: return new DropwatchParser(resolver, tables.reasons().get());
            case BPFTRACE: return new BpftraceParser(resolver, tables.reasons().get());
            default: throw new IllegalArgumentException("no text parser for " + format);
        }
    }

    private static Loaded text(TraceFormat format, InputStream in, String name, DropSink sink, Tables tables,
                               SymbolResolver resolver) throws IOException {
        TraceParser parser = parser(format, tables, resolver);
        parser.parse(in, sink);
        List<String> notes = new ArrayList<>();
        if (parser.drops() == 0 && !parser.warnings().isEmpty()) {
            throw new IOException(name + ": no drops could be read (" + parser.warnings().total()
                    + " lines skipped, first: " + firstKind(parser.warnings()) + ")");
        }
        return new Loaded(format, format.description(), parser.drops(), parser.warnings(), notes);
    }

    /**
     * A big perf script text on all cores ({@link ParallelText}), every chunk's parser on the one symbol
     * search of this input; null when it cannot be cut.
     */
    private static Loaded parallel(Path file, String name, DropSink sink, Tables tables, SymbolResolver resolver)
            throws IOException {
        ParallelText.Result r = ParallelText.read(file, () -> parser(TraceFormat.PERF_SCRIPT, tables, resolver), sink,
                Runtime.getRuntime().availableProcessors());
        if (r == null) {
            return null;
        }
        if (r.drops() == 0 && !r.warnings().isEmpty()) {
            throw new IOException(name + ": no drops could be read (" + r.warnings().total()
                    + " lines skipped, first: " + firstKind(r.warnings()) + ")");
        }
        return new Loaded(TraceFormat.PERF_SCRIPT, TraceFormat.PERF_SCRIPT.description(), r.drops(), r.warnings(),
                new ArrayList<>());
    }

    private static Loaded capture(InputStream in, String name, DropSink sink) throws IOException {
        CaptureReader.Result r = CaptureReader.read(in, name, sink);
        List<String> notes = new ArrayList<>();
        if (r.tornLastLine()) {
            notes.add(name + ": the last line was torn (capture killed mid-write); read up to the last complete interval");
        }
        if (!r.complete()) {
            notes.add(name + ": no end record: the capture was killed or is still being written");
        }
        String backend = "droptop capture (" + r.header().backend() + ")";
        // captures store names, resolved live on the kernel they name
        TraceKernel kernel = TraceKernel.ofRelease(r.header().kernel()).merge(
                r.header().kernelBuildId() == null ? TraceKernel.UNKNOWN : TraceKernel.ofBuildId(r.header().kernelBuildId()));
        return new Loaded(TraceFormat.CAPTURE, backend, r.total(), r.warnings(), notes, r.system(),
                new SymbolOrigin(name, SymbolSearch.TRACE, kernel, null, null), r.namespaces());
    }

    /**
     * perf.data through {@link PerfDataReader} (no child process); through {@code perf script} only
     * when the reader refuses the file before reading any drop (compressed, another kernel's
     * tracepoint id, an old format).
     */
    private static Loaded perfData(Path file, String name, DropSink sink, Tables tables, SymbolResolver resolver)
            throws IOException {
        TracepointLayout layout = TracepointFormat.runningKernelLayout();
        if (layout == null) {
            layout = TracepointLayout.kernel6(tables.reasons().get());
        }
        PerfDataReader reader = new PerfDataReader(resolver, layout);
        String refused;
        try (FileChannel ch = FileChannel.open(file)) {
            reader.read(ch, sink);
            if (reader.drops() > 0 || reader.warnings().count("sample of another event skipped") == 0) {
                return new Loaded(TraceFormat.PERF_DATA, "perf.data (native reader)", reader.drops(),
                        reader.warnings(), List.of());
            }
            refused = "no kfree_skb samples of this kernel's tracepoint id " + layout.id();
        } catch (IOException e) {
            if (reader.drops() > 0) {
                throw new IOException(name + ": " + e.getMessage());
            }
            refused = e.getMessage();
        }
        Loaded viaScript = perfScript(file, name, sink, resolver);
        if (viaScript.drops() == 0) {
            // samples of another event and no kfree_skb even through perf script: not a drop trace
            throw new IOException(name + ": a perf.data without skb:kfree_skb samples (its samples are of another"
                    + " event: a CPU profile?): read it with droptop profile --input " + name);
        }
        List<String> notes = new ArrayList<>(viaScript.notes());
        notes.add(name + ": read through perf script (" + refused + ")");
        return new Loaded(viaScript.format(), viaScript.backend(), viaScript.drops(), viaScript.warnings(), notes);
    }

    /** perf.data through {@code perf script -i FILE}: the fallback, and the reference for measurements. */
    public static Loaded perfScript(Path file, DropSink sink, Tables tables) throws IOException {
        return perfScript(file, file.toString(), sink, tables.forInput(file));
    }

    private static Loaded perfScript(Path file, String name, DropSink sink, SymbolResolver resolver)
            throws IOException {
        List<String> cmd = List.of("perf", "script", "--header", "--show-mmap-events", "--show-lost-events",
                "-i", file.toString());
        PerfScriptParser parser = new PerfScriptParser(resolver);
        try (ChildProcess perf = ChildProcess.start(cmd)) {
            parser.parse(perf.stdout(), sink);
            int rc = perf.waitFor();
            if (rc != 0 && parser.drops() == 0) {
                throw new IOException(name + ": perf script failed (exit " + rc + "): " + perf.lastError());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + name);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cannot run perf")) {
                throw new IOException(name + ": reading perf.data needs perf (apt-get install linux-perf)");
            }
            throw e;
        }
        return new Loaded(TraceFormat.PERF_DATA, "perf.data (via perf script)", parser.drops(), parser.warnings(),
                List.of());
    }

    /**
     * What a perf.data file says about its kernel (release, build-id, kernel map), read with the native
     * reader without resolving anything; {@link TraceKernel#UNKNOWN} when it says nothing or is unreadable.
     */
    public static TraceKernel kernelOf(Path perfData) {
        TraceKernel[] k = {TraceKernel.UNKNOWN};
        SymbolResolver hints = new SymbolResolver() {
            @Override
            public Resolved resolve(long address) {
                return null;
            }

            @Override
            public void traceKernel(TraceKernel t) {
                k[0] = k[0].merge(t);
            }
        };
        PerfDataReader reader = new PerfDataReader(hints, TracepointLayout.kernel6(ReasonNames.none()));
        try (FileChannel ch = FileChannel.open(perfData)) {
            reader.read(ch, new dev.droptop.model.DropAggregator(1_000_000_000L));
        } catch (IOException | RuntimeException e) {
            // what was seen before the error stands
        }
        return k[0];
    }

    private static String firstKind(Warnings w) {
        String kind = w.counts().keySet().iterator().next();
        return kind;
    }

    private static SymbolResolver lazy(Supplier<SymbolResolver> s) {
        return new SymbolResolver() {
            private SymbolResolver r;

            @Override
            public Resolved resolve(long address) {
                return get().resolve(address);
            }

            @Override
            public Resolved offsetOf(long address) {
                return get().offsetOf(address);
            }

            @Override
            public void traceKernel(TraceKernel kernel) {
                get().traceKernel(kernel);
            }

            private SymbolResolver get() {
                if (r == null) {
                    r = s.get();
                }
                return r;
            }
        };
    }
}
