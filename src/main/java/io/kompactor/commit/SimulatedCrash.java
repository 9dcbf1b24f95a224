package io.kompactor.commit;

/**
 * Thrown by a test hook to stop a commit the way a crash would. It is an {@link Error} so that no
 * {@code catch (Exception)} on the way out rolls anything back: only the next start's recovery may.
 */
public class SimulatedCrash extends Error {
    public SimulatedCrash(CommitStep step) {
        super("simulated crash after " + step);
    }
}
