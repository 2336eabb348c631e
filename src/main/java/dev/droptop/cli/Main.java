package dev.droptop.cli;

import dev.droptop.model.Sanitize;
import dev.droptop.run.Failure;
import dev.droptop.run.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point: parses the verb and maps every failure to one line and an exit code. */
@Command(name = "droptop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Find where and why the Linux kernel drops packets.", ""},
        footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or unreadable input.",
                "Run 'droptop help COMMAND' for the options of a command."})
public final class Main implements java.util.concurrent.Callable<Integer> {
    public static final String VERSION = dev.droptop.run.Build.VERSION;
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    static final String EXCLUDED_CONVERTERS_PROPERTY = "picocli.converters.excludes";

    /**
     * The commands, in the order help lists them. Not in {@code @Command(subcommands)}: picocli would build
     * every command's model (reflection over its options and mixins) on each run, a third of a short
     * {@code report}'s start-up; {@link #commandLineFor} builds only the one invoked.
     */
    private static final Map<String, Class<?>> COMMANDS = commands("live", LiveCommand.class,
            "capture", CaptureCommand.class, "replay", ReplayCommand.class, "report", ReportCommand.class,
            "diff", DiffCommand.class, "export", ExportCommand.class, "profile", ProfileCommand.class,
            "conntrack", ConntrackCommand.class, "lab", LabCommand.class, "doctor", DoctorCommand.class,
            "explain", ExplainCommand.class, "bench", BenchCommand.class, "completion", CompletionCommand.class,
            "help", CommandLine.HelpCommand.class);

    static {
        // picocli registers converters for java.time and java.sql types by reflection, each time it builds a
        // command: that initialises those classes (java.time's formatters with their locale data), ~70
        // classes of a short run's start-up. No droptop option has such a type. A value the user set wins.
        if (System.getProperty(EXCLUDED_CONVERTERS_PROPERTY) == null) {
            System.setProperty(EXCLUDED_CONVERTERS_PROPERTY, "java\\.(time|sql)\\..*");
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs droptop with {@code args} and returns the exit code (used by tests too). */
    public static int run(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // what picocli prints for it, without building even the root's model (a test compares)
            System.out.println(new Version().getVersion()[0]);
            return OK;
        }
        ReportCommand quick = QuickReport.parse(args);
        if (quick != null) {
            return quickly(quick);
        }
        return commandLineFor(args).execute(args);
    }

    /** A report {@link QuickReport} parsed: run and failures handled as picocli's {@code execute} would. */
    private static int quickly(ReportCommand report) {
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return report.call();
        } catch (Exception e) {
            return handle(e, err);
        }
    }

    /**
     * The command tree as every user sees it (also what the completion script and the man page are
     * made from): {@code --version} on every command, help as wide as the terminal with {@code -o FILE}
     * in synopses and examples never re-wrapped ({@link HelpLayout}), and a bad word answered with one
     * line, "did you mean" suggestions and the right {@code --help} to try.
     */
    static CommandLine commandLine() {
        return configure(tree(COMMANDS.values()));
    }

    /**
     * The tree {@code args} need, alike for them to the whole one: only the invoked command under the root
     * when {@code args} start with a command's name ({@code droptop} alone runs {@code live}), and the root
     * alone for a bare {@code --version}. Help, completion and the man page, a word that is no command
     * (its "did you mean") and options before the command get the whole tree.
     */
    static CommandLine commandLineFor(String... args) {
        if (args.length == 0) {
            return configure(tree(List.of(COMMANDS.get("live"))));
        }
        Class<?> invoked = COMMANDS.get(args[0]);
        if (invoked != null && invoked != CommandLine.HelpCommand.class) {
            return configure(tree(List.of(invoked)));
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return configure(tree(List.of()));
        }
        return commandLine();
    }

    private static CommandLine tree(Collection<Class<?>> commands) {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : commands) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    /** Name, class, name, class...: the names as in each class's {@code @Command} (a test checks). */
    private static Map<String, Class<?>> commands(Object... nameThenClass) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) {
            byName.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
        }
        return Collections.unmodifiableMap(byName);
    }

    /** Settings apply to the commands already in the tree, so they come after its last command. */
    private static CommandLine configure(CommandLine cl) {
        versionEverywhere(cl);
        HelpLayout.install(cl);
        cl.setExecutionExceptionHandler(new ExecutionFailure());
        cl.setParameterExceptionHandler(new UsageError());
        return cl;
    }

    /*
     * The handlers are classes, not lambdas: a lambda of a picocli interface (pre-Java-6 class files) keeps
     * that interface and every class implementing it out of the launcher's CDS archive ("old class has
     * been linked"), and its proxy class is spun again on every run.
     */

    /** An exception from a command: one line, and the exit code {@link #handle} gives it. */
    private static final class ExecutionFailure implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
            return handle(ex, cmd.getErr());
        }
    }

    /** Bad usage: the message, "did you mean" suggestions and the {@code --help} to try. */
    private static final class UsageError implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] argv) {
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
        }
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
