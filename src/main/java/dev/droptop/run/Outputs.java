package dev.droptop.run;

import dev.droptop.source.StdinInput;
import dev.droptop.system.HostInfo;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Unix conventions of every command that writes a report: {@code -o -} is standard output,
 * {@code --format} defaults to what {@code -o}'s extension says, and notes go to standard error.
 */
public final class Outputs {
    /** File name extensions and the format they stand for. */
    public static final Map<String, String> BY_EXTENSION = Map.of("json", "json", "csv", "csv", "html", "html", "htm", "html",
            "folded", "collapsed", "collapsed", "collapsed", "txt", "text");

    private Outputs() {
    }

    /** True when {@code output} means standard output (none, or {@code -}). */
    public static boolean isStdout(Path output) {
        return output == null || StdinInput.isDash(output);
    }

    /** The format {@code -o FILE}'s extension stands for ({@link #BY_EXTENSION}), or null. */
    public static String fromExtension(Path output) {
        if (isStdout(output) || output.getFileName() == null) {
            return null;
        }
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * {@code --format} if given, else the one {@code -o}'s extension stands for if the command has it,
     * else {@code dflt}; a format the command does not have is a {@link UserError}.
     */
    public static String format(String given, Path output, List<String> allowed, String dflt) {
        String f = given;
        if (f == null) {
            String ext = fromExtension(output);
            f = ext != null && allowed.contains(ext) ? ext : dflt;
        }
        if (!allowed.contains(f)) {
            throw new UserError("unknown --format " + f + " (use " + String.join(", ", allowed) + ")");
        }
        return f;
    }

    /** Standard output (left open) for none or {@code -}, else the checked file. */
    public static OutputStream open(Path output) throws IOException {
        if (isStdout(output)) {
            return new FilterOutputStream(System.out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        return Files.newOutputStream(OutputPath.check(output));
    }

    /** True when what is written goes to a terminal (so it may be cut to fit). */
    public static boolean toTerminal(Path output) {
        return isStdout(output) && HostInfo.isTerminal(1);
    }

    /** Notes about the input (torn last line, read through perf script, ...) on standard error. */
    public static void notes(List<String> notes) {
        PrintStream err = System.err;
        for (String n : notes) {
            err.println("droptop: note: " + dev.droptop.model.Sanitize.text(n));
        }
        err.flush();
    }
}
