package io.kompactor.fs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes what we create inside the server's tree look like what the server writes (docs/operations.md, "Files
 * like the server's"): a server running as another user must still be able to write next to our files, or its
 * persist retries forever. A new directory or file gets the owner and group of its parent directory and the mode
 * of a sibling of the same kind; a rewritten file keeps the owner, group and mode of the file it replaces. Where we
 * may not chown (not root) group and mode are still applied, and we warn once.
 */
public final class Ownership {
    private static final Logger LOG = LoggerFactory.getLogger(Ownership.class);
    private static final Set<PosixFilePermission> EXEC = EnumSet.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path serverRoot;
    private final Path excluded;
    private final AtomicBoolean warned = new AtomicBoolean();

    /** Applies inside {@code serverRoot} except under {@code excluded} (our own state dir, when it lives there). */
    public Ownership(Path serverRoot, Path excluded) {
        this.serverRoot = serverRoot == null ? null : serverRoot.toAbsolutePath().normalize();
        this.excluded = excluded == null ? null : excluded.toAbsolutePath().normalize();
    }

    /** Nothing is adjusted: for files outside any server tree. */
    public static Ownership none() {
        return new Ownership(null, null);
    }

    boolean applies(Path p) {
        if (serverRoot == null) {
            return false;
        }
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(serverRoot) && (excluded == null || !a.startsWith(excluded));
    }

    /** A directory we just created: owner and group of its parent, mode of a sibling directory (else the parent's). */
    void newDirectory(Path dir) {
        if (!applies(dir)) {
            return;
        }
        PosixFileAttributes parent = attrs(dir.getParent());
        if (parent == null) {
            return;
        }
        PosixFileAttributes sibling = sibling(dir.getParent(), dir, true, null);
        apply(dir, parent.owner(), parent.group(), sibling != null ? sibling.permissions() : parent.permissions());
    }

    /**
     * A file about to appear at {@code target} (prepared as {@code file}): owner and group of the target's directory,
     * mode of a sibling file with the same extension (else any sibling file, else the directory's mode without
     * execute bits).
     */
    void newFile(Path file, Path target) {
        if (!applies(target)) {
            return;
        }
        Path dir = target.toAbsolutePath().getParent();
        PosixFileAttributes parent = attrs(dir);
        if (parent == null) {
            return;
        }
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        PosixFileAttributes sibling = sibling(dir, target, false, dot < 0 ? null : name.substring(dot));
        if (sibling == null) {
            sibling = sibling(dir, target, false, null);
        }
        Set<PosixFilePermission> mode;
        if (sibling != null) {
            mode = sibling.permissions();
        } else {
            mode = EnumSet.noneOf(PosixFilePermission.class);
            mode.addAll(parent.permissions());
            mode.removeAll(EXEC);
        }
        apply(file, parent.owner(), parent.group(), mode);
    }

    /** A replacement for {@code replaced}, prepared as {@code file}: same owner, group and mode. */
    void replacement(Path file, Path replaced) {
        if (!applies(replaced)) {
            return;
        }
        PosixFileAttributes old = attrs(replaced);
        if (old == null) {
            newFile(file, replaced);
            return;
        }
        apply(file, old.owner(), old.group(), old.permissions());
    }

    private void apply(Path p, UserPrincipal owner, GroupPrincipal group, Set<PosixFilePermission> mode) {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        try {
            PosixFileAttributes now = view.readAttributes();
            if (!now.owner().equals(owner)) {
                try {
                    view.setOwner(owner);
                } catch (FileSystemException e) {
                    warnOnce("cannot give " + p + " to owner " + owner.getName() + " (" + reason(e)
                            + "); group and mode are still set like the server's files. Run Kompactor as the server's"
                            + " user (or root) to keep files owned by it.");
                }
            }
            if (!now.group().equals(group)) {
                try {
                    view.setGroup(group);
                } catch (FileSystemException e) {
                    warnOnce("cannot give " + p + " to group " + group.getName() + " (" + reason(e) + ")");
                }
            }
            if (!now.permissions().equals(mode)) {
                view.setPermissions(mode);
            }
        } catch (IOException e) {
            warnOnce("cannot set owner or mode of " + p + ": " + reason(e));
        }
    }

    private static PosixFileAttributes sibling(Path dir, Path self, boolean directory, String extension) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (p.getFileName().equals(self.getFileName()) || n.startsWith(".") || n.contains("#")) {
                    continue;
                }
                if (extension != null && !n.endsWith(extension)) {
                    continue;
                }
                PosixFileAttributes a = attrs(p);
                if (a != null && (directory ? a.isDirectory() : a.isRegularFile())) {
                    return a;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static PosixFileAttributes attrs(Path p) {
        try {
            PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            return v == null ? null : v.readAttributes();
        } catch (IOException e) {
            return null;
        }
    }

    private void warnOnce(String message) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn(message);
        }
    }

    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
