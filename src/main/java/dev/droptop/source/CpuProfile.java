package dev.droptop.source;

import dev.droptop.model.Profile;
import dev.droptop.parse.PerfSampleParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * System-wide CPU profiles with call graphs: {@code perf record -F HZ -a -g -e cpu-clock} around a
 * sleep or a command (cpu-clock because VMs often have no hardware cycle counter), and reading
 * a perf.data (through {@code perf script}) or saved {@code perf script} text into a {@link Profile}.
 */
public final class CpuProfile {
    private static final byte[] PERF_MAGIC = "PERFILE2".getBytes(StandardCharsets.US_ASCII);

    private CpuProfile() {
    }

    /** The perf record command line: {@code -- sleep SECONDS} when {@code command} is empty. */
    public static List<String> recordCommand(Path out, int frequency, double seconds, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("perf", "record", "-q", "-F", Integer.toString(frequency), "-a",
                "-g", "-e", "cpu-clock", "-o", out.toString(), "--"));
        if (command.isEmpty()) {
            cmd.addAll(List.of("sleep", String.valueOf(seconds)));
        } else {
            cmd.addAll(command);
        }
        return cmd;
    }

    /** Runs perf record to completion; returns its exit code (the command's failure is not perf's). */
    public static int record(Path out, int frequency, double seconds, List<String> command) throws IOException {
        return record(out, frequency, seconds, command, perf -> { });
    }

    /**
     * As {@link #record(Path, int, double, List)}, handing the running perf to {@code started} first
     * (the caller may {@link ChildProcess#interrupt} it to end the recording early, keeping what it has).
     */
    public static int record(Path out, int frequency, double seconds, List<String> command,
                             java.util.function.Consumer<ChildProcess> started) throws IOException {
        try (ChildProcess perf = ChildProcess.start(recordCommand(out, frequency, seconds, command))) {
            started.accept(perf);
            perf.stdout().transferTo(java.io.OutputStream.nullOutputStream());
            int rc = perf.waitFor();
            if (!Files.isRegularFile(out) || Files.size(out) == 0) {
                throw new IOException("perf record wrote no profile (exit " + rc + "): " + perf.lastError());
            }
            return rc;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recording the profile");
        }
    }

    /** Reads a perf.data or perf script text file: the samples of its first event. */
    public static Profile read(Path file) throws IOException {
        return read(file, null);
    }

    /** The samples of {@code event} (null: the trace's first event). */
    public static Profile read(Path file, String event) throws IOException {
        return read(file, event, List.of(), List.of());
    }

    /**
     * Reads a perf.data or perf script text file: the samples of {@code event}, or of the first event
     * in the trace when null (the others are listed in {@link Profile#otherEvents}). For a perf.data,
     * {@code perfOptions} go before the subcommand (e.g. {@code --buildid-dir DIR}), {@code scriptOptions}
     * after it (e.g. {@code --kallsyms FILE}). {@code -} (standard input) or a pipe is streamed when it is
     * text and copied to a temporary file (removed after) when it is perf.data.
     */
    public static Profile read(Path file, String event, List<String> perfOptions, List<String> scriptOptions)
            throws IOException {
        if (StdinInput.isStream(file)) {
            return readStream(file, event, perfOptions, scriptOptions);
        }
        Profile profile = new Profile();
        PerfSampleParser parser = new PerfSampleParser(event);
        if (isPerfData(file)) {
            List<String> cmd = new ArrayList<>(List.of("perf"));
            cmd.addAll(perfOptions);
            cmd.add("script");
            cmd.addAll(scriptOptions);
            cmd.addAll(List.of("-i", file.toString()));
            try (ChildProcess perf = ChildProcess.start(cmd)) {
                parser.parse(perf.stdout(), profile);
                int rc = perf.waitFor();
                if (rc != 0 && parser.samples() == 0) {
                    throw new IOException(file + ": perf script failed (exit " + rc + "): " + perf.lastError());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + file);
            }
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                parser.parse(in, profile);
            }
        }
        return checked(file.toString(), event, parser, profile);
    }

    private static Profile checked(String name, String event, PerfSampleParser parser, Profile profile)
            throws IOException {
        if (event != null && parser.samples() == 0) {
            throw new IOException(name + ": no samples of event " + event + " (events in it: "
                    + (parser.otherEvents().isEmpty() ? "none" : String.join(", ", parser.otherEvents().keySet())) + ")");
        }
        if (parser.stacked() == 0) {
            throw new IOException(name + ": no samples with call chains (record with perf record -g)");
        }
        return profile;
    }

    private static Profile readStream(Path file, String event, List<String> perfOptions, List<String> scriptOptions)
            throws IOException {
        String name = StdinInput.displayName(file);
        try (java.io.BufferedInputStream in = new java.io.BufferedInputStream(StdinInput.open(file))) {
            in.mark(PERF_MAGIC.length);
            byte[] head = in.readNBytes(PERF_MAGIC.length);
            in.reset();
            if (head.length == 0) {
                throw new IOException(name + ": empty");
            }
            if (java.util.Arrays.equals(head, PERF_MAGIC)) {
                Path tmp = StdinInput.spool(in, name);
                try {
                    return read(tmp, event, perfOptions, scriptOptions);
                } catch (IOException e) {
                    throw new IOException(String.valueOf(e.getMessage()).replace(tmp.toString(), name));
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            Profile profile = new Profile();
            PerfSampleParser parser = new PerfSampleParser(event);
            parser.parse(in, profile);
            return checked(name, event, parser, profile);
        }
    }

    private static boolean isPerfData(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(PERF_MAGIC.length);
            return java.util.Arrays.equals(head, PERF_MAGIC);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
    }
}
