package io.kompactor.fs;

/**
 * Thrown by a test {@link FaultHook} to stop a command the way a kill would. It is an {@link Error} so that no
 * {@code catch (Exception)} on the way out undoes anything: only the next start's recovery may.
 */
public class SimulatedCrash extends Error {
    public SimulatedCrash(String where) {
        super("simulated crash before " + where);
    }
}
