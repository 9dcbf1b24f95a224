package io.kompactor.cli;

import io.kompactor.commit.CommitHook;
import io.kompactor.commit.Committer;
import io.kompactor.commit.RetirePolicy;
import io.kompactor.commit.StateDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Finish or undo transactions interrupted by a crash (every other command does this first too).")
public final class RecoverCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @Override
    public Integer call() throws IOException {
        data.hosts();
        StateDir state = data.state();
        try (StateDir.Lock lock = state.lock()) {
            List<String> done = new Committer(state, RetirePolicy.IMMEDIATE, CommitHook.NONE, Clock.systemUTC()).recover();
            done.forEach(spec.commandLine().getOut()::println);
            spec.commandLine().getOut().println(done.isEmpty() ? "nothing to recover" : "recovered " + done.size() + " transaction(s)");
        }
        return ExitCodes.OK;
    }
}
