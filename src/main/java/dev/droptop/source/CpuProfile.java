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

    /** Reads a perf.data or perf script text file. */
    public static Profile read(Path file) throws IOException {
        return read(file, List.of(), List.of());
    }

    /**
     * As {@link #read(Path)}, with perf options for a perf.data: {@code perfOptions} before the
     * subcommand (e.g. {@code --buildid-dir DIR}), {@code scriptOptions} after it (e.g. {@code --kallsyms FILE}).
     */
    public static Profile read(Path file, List<String> perfOptions, List<String> scriptOptions) throws IOException {
        Profile profile = new Profile();
        PerfSampleParser parser = new PerfSampleParser();
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
        if (parser.samples() == 0) {
            throw new IOException(file + ": no samples with call chains (record with perf record -g)");
        }
        return profile;
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
