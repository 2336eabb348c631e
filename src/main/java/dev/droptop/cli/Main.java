package dev.droptop.cli;

import dev.droptop.model.Sanitize;
import dev.droptop.run.Failure;
import dev.droptop.run.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point: parses the verb and maps every failure to one line and an exit code. */
@Command(name = "droptop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Find where and why the Linux kernel drops packets.", ""},
        subcommands = {LiveCommand.class, CaptureCommand.class, ReplayCommand.class, ReportCommand.class,
                DiffCommand.class, ExportCommand.class, ProfileCommand.class, ConntrackCommand.class, LabCommand.class,
                DoctorCommand.class, ExplainCommand.class, BenchCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or unreadable input.",
                "Run 'droptop help COMMAND' for the options of a command."})
public final class Main implements java.util.concurrent.Callable<Integer> {
    public static final String VERSION = dev.droptop.run.Build.VERSION;
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs droptop with {@code args} and returns the exit code (used by tests too). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command tree as every user sees it (also what the completion script and the man page are
     * made from): {@code --version} on every command, help as wide as the terminal with {@code -o FILE}
     * in synopses and examples never re-wrapped ({@link HelpLayout}), and a bad word answered with one
     * line, "did you mean" suggestions and the right {@code --help} to try.
     */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        versionEverywhere(cl);
        HelpLayout.install(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> handle(ex, cmd.getErr()));
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("droptop: " + Sanitize.text(ex.getMessage()));
            if (ex instanceof CommandLine.UnmatchedArgumentException) {
                CommandLine.UnmatchedArgumentException u = (CommandLine.UnmatchedArgumentException) ex;
                if (!u.getSuggestions().isEmpty()) {
                    CommandLine.UnmatchedArgumentException.printSuggestions(u, err);
                } else {
                    Suggestions.optionsLike(u.getUnmatched(), cmd.getCommandSpec())
                            .ifPresent(s -> err.println("Did you mean: " + s + "?"));
                }
            }
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return USAGE;
        });
        return cl;
    }

    private static void versionEverywhere(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version());
            versionEverywhere(sub);
        }
    }

    /** {@code droptop} alone is {@code droptop live}. */
    @Override
    public Integer call() {
        return spec.commandLine().getSubcommands().get("live").execute();
    }

    static int handle(Exception ex, PrintWriter err) {
        Throwable t = ex instanceof UncheckedIOException ? ex.getCause() : ex;
        if (isBrokenPipe(t)) {
            return OK;
        }
        int code;
        String msg;
        if (t instanceof UserError || t instanceof IOException) {
            code = USAGE;
            msg = t.getMessage();
        } else if (t instanceof Failure) {
            code = FAILURE;
            msg = t.getMessage();
        } else {
            code = FAILURE;
            msg = "internal error: " + t + (t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0] : "");
        }
        err.println("droptop: " + Sanitize.text(msg == null ? t.toString() : msg));
        err.flush();
        return code;
    }

    private static boolean isBrokenPipe(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    /** Prints the version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"droptop " + VERSION};
        }
    }
}
