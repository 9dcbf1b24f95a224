package io.kompactor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;

@Command(name = "kompactor", mixinStandardHelpOptions = true, version = "kompactor 0.1.0",
        description = "Compacts the parquet files of InfluxDB 3 Core data dirs (file object store).",
        subcommands = {CompactCommand.class, VerifyCommand.class, DemoCommand.class, RollbackCommand.class,
            RecoverCommand.class, RunCommand.class, GcCommand.class, DeadLettersCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class KompactorCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the CLI with the given streams and returns its exit code; used by main and by the tests. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return execute(new PrintWriter(out, true, StandardCharsets.UTF_8), new PrintWriter(err, true, StandardCharsets.UTF_8), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new KompactorCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // A SimulatedCrash is an Error: picocli lets it through, as a real crash would end the process.
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + message(ex));
            if (Boolean.getBoolean("kompactor.debug") || java.util.Arrays.asList(args).contains("--debug")) {
                ex.printStackTrace(commandLine.getErr());
            }
            return ex instanceof UsageException || ex instanceof io.kompactor.commit.SetupException
                    ? ExitCodes.USAGE : ExitCodes.PARTIAL;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        cli.setExitCodeExceptionMapper(ex -> ExitCodes.USAGE);
        return cli.execute(prototypeForm(cli, args));
    }

    /** One line: what, where and why, with the OS's reason for I/O errors. */
    static String message(Throwable ex) {
        if (ex instanceof java.io.IOException e) {
            return io.kompactor.fs.FileOps.describe(e);
        }
        if (ex instanceof java.io.UncheckedIOException u) {
            return (u.getMessage() != null ? u.getMessage() + ": " : "") + io.kompactor.fs.FileOps.describe(u.getCause());
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.toString();
    }

    /** The prototype's form, {@code kompactor <data-dir> --hosts ...}, is {@code compact}. */
    static String[] prototypeForm(CommandLine cli, String[] args) {
        Set<String> commands = cli.getSubcommands().keySet();
        if (args.length > 0 && !args[0].startsWith("-") && !commands.contains(args[0])) {
            String[] a = new String[args.length + 1];
            a[0] = "compact";
            System.arraycopy(args, 0, a, 1, args.length);
            return a;
        }
        return args;
    }
}
