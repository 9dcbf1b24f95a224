package io.kompactor.commit;

import java.util.Optional;

/**
 * Which server process is running now ({@code /ping} {@code process_id}), when Kompactor knows how to ask. A failed
 * question is an empty answer: it never blocks a commit, it only postpones retirement.
 */
@FunctionalInterface
public interface ServerProbe {
    ServerProbe NONE = Optional::empty;

    Optional<String> processId();
}
