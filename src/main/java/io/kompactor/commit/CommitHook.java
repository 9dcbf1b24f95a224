package io.kompactor.commit;

/** Called after each commit step. Production uses {@link #NONE}; crash tests throw {@link SimulatedCrash}. */
@FunctionalInterface
public interface CommitHook {
    CommitHook NONE = step -> { };

    void reached(CommitStep step);

    /** A hook that ends the JVM at {@code at} like {@code kill -9}: no finally block, no shutdown hook runs. */
    static CommitHook haltAt(CommitStep at) {
        return step -> {
            if (step == at) {
                Runtime.getRuntime().halt(137);
            }
        };
    }

    /** A hook that stops the commit dead at {@code at}, as a kill would: no cleanup runs. */
    static CommitHook crashAt(CommitStep at) {
        return step -> {
            if (step == at) {
                throw new SimulatedCrash(step);
            }
        };
    }
}
