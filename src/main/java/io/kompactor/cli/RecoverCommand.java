package io.kompactor.cli;

import io.kompactor.commit.ServerProbe;
import io.kompactor.commit.Transactions;
import io.kompactor.commit.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Finish or undo transactions interrupted by a crash, and remove what failed attempts left "
                + "behind (merge scratch, staged files, unlisted backups). Every other writing command does this first too.",
            "Exit codes: 0 done, 1 a transaction could not be finished or undone (its host stays blocked), 2 setup error."})
public final class RecoverCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOptions data;

    @picocli.CommandLine.Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        data.lockWait();
        data.hosts();
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = data.forWriting("recover")) {
            Transactions.RecoveryReport r = new Transactions(ws, ServerProbe.NONE).recover();
            if (json) {
                com.fasterxml.jackson.databind.node.ObjectNode doc = JsonOut.object().put("ok", r.ok());
                JsonOut.strings(doc, "recovered", r.lines());
                JsonOut.strings(doc, "cleaned", r.cleaned());
                JsonOut.strings(doc, "blocked", r.blocked());
                JsonOut.print(out, doc);
                return r.ok() ? ExitCodes.OK : ExitCodes.PARTIAL;
            }
            r.lines().forEach(out::println);
            r.cleaned().forEach(out::println);
            r.blocked().forEach(b -> out.println("BLOCKED: " + b));
            if (r.lines().isEmpty() && r.blocked().isEmpty()) {
                out.println(r.cleaned().isEmpty() ? "nothing to recover" : "nothing to recover; leftovers removed");
            } else {
                out.println("recovered " + io.kompactor.config.Units.count(r.lines().size(), "transaction")
                        + (r.blocked().isEmpty() ? "" : ", " + r.blocked().size() + " still blocked"));
            }
            return r.ok() ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }
}
