package io.kompactor.simulator;

/** Metadata the simulated server cannot read, or a file system failure; a real server would fail to start. */
public final class SimulatorException extends RuntimeException {
    public SimulatorException(String message) {
        super(message);
    }

    public SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
