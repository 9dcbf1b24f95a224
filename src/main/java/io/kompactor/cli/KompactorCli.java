package io.kompactor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "kompactor", mixinStandardHelpOptions = true, versionProvider = KompactorCli.Version.class,
        description = "Compacts the parquet files of InfluxDB 3 Core data dirs (file object store).",
        footer = {"", "Exit codes: 0 all done, 1 partly done or problems found, 2 usage or setup error (nothing done), "
                + "130 stopped by Ctrl-C (the next command recovers).",
            "The prototype's form `kompactor <data-dir> [options]` is `kompactor compact <data-dir> [options]`."},
        subcommands = {CompactCommand.class, VerifyCommand.class, DemoCommand.class, RollbackCommand.class,
            RecoverCommand.class, RunCommand.class, GcCommand.class, DeadLettersCommand.class, BenchCommand.class,
            VersionCommand.class, CommandLine.HelpCommand.class})
public final class KompactorCli implements Runnable {
    public static final String VERSION = "kompactor 0.1.0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "On an error, also print its stack trace.")
    boolean debug;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More detail (compact: every input, and every window left alone with its reason). "
                    + "Twice (-v -v) also prints stack traces, as --debug.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "No progress lines: only problems and the summary.")
    boolean quiet;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** The options every command inherits, as given on this command line. */
    static KompactorCli of(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof KompactorCli k ? k : new KompactorCli();
    }

    boolean debug() {
        return debug || verbose.length >= 2 || Boolean.getBoolean("kompactor.debug");
    }

    boolean verbose() {
        return verbose.length >= 1;
    }

    boolean quiet() {
        return quiet;
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the CLI with the given streams and returns its exit code; used by main and by the tests. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return execute(new PrintWriter(out, true, StandardCharsets.UTF_8), new PrintWriter(err, true, StandardCharsets.UTF_8), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        KompactorCli root = new KompactorCli();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // A SimulatedCrash is an Error: picocli lets it through, as a real crash would end the process.
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean usage = CliErrors.isUsage(ex);
            commandLine.getErr().println("error: " + CliErrors.oneLine(ex));
            if (ex instanceof UsageException) {
                commandLine.getErr().println(helpPointer(commandLine));
            }
            if (root.debug()) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return usage ? ExitCodes.USAGE : ExitCodes.PARTIAL;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + CliErrors.parameterMessage(ex));
            c.getErr().println(helpPointer(c));
            c.getErr().flush();
            return ExitCodes.USAGE;
        });
        cli.setExitCodeExceptionMapper(ex -> ExitCodes.USAGE);
        String[] expanded;
        try {
            expanded = prototypeForm(cli, args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(helpPointer(cli));
            err.flush();
            return ExitCodes.USAGE;
        }
        return cli.execute(expanded);
    }

    static String helpPointer(CommandLine c) {
        return "Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.";
    }

    /**
     * The prototype's form, {@code kompactor <data-dir> --hosts ...}, is {@code compact}, but only when the first
     * argument is an existing directory: anything else that is not a command is a mistyped command, not a data dir.
     */
    static String[] prototypeForm(CommandLine cli, String[] args) {
        if (args.length == 0 || args[0].startsWith("-") || cli.getSubcommands().containsKey(args[0])) {
            return args;
        }
        if (isDirectory(args[0])) {
            String[] a = new String[args.length + 1];
            a[0] = "compact";
            System.arraycopy(args, 0, a, 1, args.length);
            return a;
        }
        throw new UsageException(CliErrors.unknownCommand(args[0], cli.getSubcommands().keySet())
                + (args[0].contains("/") ? " (and no directory " + args[0] + " to compact)" : ""));
    }

    private static boolean isDirectory(String arg) {
        try {
            return Files.isDirectory(Path.of(arg));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The version, for {@code --version} and the {@code version} command. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{VERSION, "Java " + System.getProperty("java.version") + " ("
                    + System.getProperty("java.vendor") + "), " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch")};
        }
    }
}
