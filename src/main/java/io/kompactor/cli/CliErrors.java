package io.kompactor.cli;

import io.kompactor.commit.SetupException;
import io.kompactor.config.EditDistance;
import io.kompactor.fs.FileOps;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/** How a failure is told to the user: one line saying what, where and why (the OS's reason for I/O errors). */
final class CliErrors {
    private CliErrors() {
    }

    /** Usage and setup errors (exit 2): the command changed nothing. */
    static boolean isUsage(Throwable ex) {
        return ex instanceof UsageException || ex instanceof SetupException;
    }

    /**
     * The message on one line. An I/O error anywhere in the causes adds the OS's reason when the message lacks it
     * (a message made of a path alone, as {@code AccessDeniedException} gives, says nothing of why).
     */
    static String oneLine(Throwable ex) {
        String base;
        if (ex instanceof IOException io) {
            base = FileOps.describe(io);
        } else if (ex instanceof UncheckedIOException u && (u.getMessage() == null
                || u.getMessage().equals(String.valueOf(u.getCause())))) {
            base = FileOps.describe(u.getCause());
        } else {
            base = ex.getMessage() != null && !ex.getMessage().isBlank() ? ex.getMessage() : ex.getClass().getSimpleName();
        }
        IOException io = ex instanceof IOException ? null : firstIoCause(ex);
        if (io != null) {
            String reason = FileOps.reason(io);
            String file = FileOps.fileOf(io);
            if (!base.contains(reason)) {
                base = base + ": " + (file == null || base.contains(file) ? reason : file + ": " + reason);
            }
        }
        return flatten(base);
    }

    /** Multi-line messages (a list of problems) as one line: "a; b; c". */
    static String flatten(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            if (!out.isEmpty()) {
                out.append(out.charAt(out.length() - 1) == ':' ? " " : "; ");
            }
            out.append(line);
        }
        return out.toString();
    }

    private static IOException firstIoCause(Throwable ex) {
        int depth = 0;
        for (Throwable c = ex.getCause(); c != null && depth < 20; c = c.getCause(), depth++) {
            if (c instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /** A parse error in the user's words: an unknown command or option named as such, with the closest match. */
    static String parameterMessage(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            CommandLine c = u.getCommandLine();
            String first = u.getUnmatched().get(0);
            boolean takesPositionals = !c.getCommandSpec().positionalParameters().isEmpty();
            if (!first.startsWith("-") && !c.getSubcommands().isEmpty() && !takesPositionals) {
                return unknownCommand(first, c.getSubcommands().keySet());
            }
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'" + didYouMean(u.getSuggestions());
            }
            int more = u.getUnmatched().size() - 1;
            return "unexpected argument '" + first + "'" + (more > 0 ? " (and " + more + " more)" : "");
        }
        return ex.getMessage();
    }

    /** "unknown command 'x'; did you mean 'y'?" */
    static String unknownCommand(String given, Collection<String> commands) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : commands) {
            int d = c.startsWith(given) && given.length() >= 3 ? 1 : EditDistance.of(given, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        boolean close = best != null && bestDistance <= Math.max(2, given.length() / 3);
        return "unknown command '" + given + "'" + (close ? "; did you mean '" + best + "'?" : "");
    }

    private static String didYouMean(List<String> suggestions) {
        return suggestions == null || suggestions.isEmpty() ? "" : "; did you mean '" + suggestions.get(0) + "'?";
    }
}
