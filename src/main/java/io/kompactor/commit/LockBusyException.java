package io.kompactor.commit;

/** Another writer holds the data dir's lock and did not let go within the wait. Nothing was changed. */
public class LockBusyException extends SetupException {
    private final String holder;

    public LockBusyException(String lockFile, String holder) {
        super("another writer holds " + lockFile + ": " + holder + "; try again when it is done");
        this.holder = holder;
    }

    public String holder() {
        return holder;
    }
}
