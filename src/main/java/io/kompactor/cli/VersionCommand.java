package io.kompactor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version (as --version does).")
public final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new KompactorCli.Version().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        return ExitCodes.OK;
    }
}
