package io.kompactor.commit;

/** Called after each commit step. Production uses {@link #NONE}; crash tests throw {@link SimulatedCrash}. */
@FunctionalInterface
public interface CommitHook {
    CommitHook NONE = step -> { };

    void reached(CommitStep step);

    /** A hook that stops the commit dead at {@code at}, as a kill would: no cleanup runs. */
    static CommitHook crashAt(CommitStep at) {
        return step -> {
            if (step == at) {
                throw new SimulatedCrash(step);
            }
        };
    }
}
