package dev.myrmex.ipc.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The directory that holds a user's channel files: mode 0700, files in it 0600, whatever the umask. A mode asked for
 * at creation is narrowed by the umask, never widened, so creation asks for the final mode (nothing is ever more open
 * than it should be, even for an instant) and a chmod afterwards makes it exact. An existing directory is used only if
 * it is a real directory (not a link), owned by this user, and not open to others. Directories made on the way to it
 * are made the same way (0700).
 */
public final class PrivateDirectory {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateDirectory() {
    }

    /** The default place: /dev/shm (memory, never written back to disk) if there is one, else the temp directory. */
    public static Path defaultPath() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("myrmex-" + user);
    }

    /**
     * Makes {@code dir} (mode 0700) or checks the existing one.
     *
     * @throws IOException if it cannot be made, or exists but is a link, another user's, or open to group or others
     */
    public static Path ensure(Path dir) throws IOException {
        createMissingParents(dir.toAbsolutePath());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            Files.setPosixFilePermissions(dir, DIRECTORY);
            return dir;
        } catch (FileAlreadyExistsException e) {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory()) {
                throw new IOException(dir + " exists but is not a directory (a link?): refusing to put channels there");
            }
            String me = System.getProperty("user.name");
            if (!a.owner().getName().equals(me)) {
                throw new IOException(dir + " belongs to " + a.owner().getName() + ", not " + me
                        + ": refusing to put channels there");
            }
            EnumSet<PosixFilePermission> open = EnumSet.copyOf(a.permissions());
            open.retainAll(EnumSet.complementOf(EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
            if (!open.isEmpty()) {
                throw new IOException(dir + " is open to others (" + PosixFilePermissions.toString(a.permissions())
                        + "): make it rwx------ or remove it");
            }
            return dir;
        }
    }

    /**
     * Makes the missing directories above {@code dir}, each 0700 as {@code dir} itself ({@code createDirectories} would
     * make them as open as the umask lets: 0777 under umask 000). Existing ones are left as they are; one made by
     * someone else meanwhile is fine.
     */
    private static void createMissingParents(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent == null || Files.isDirectory(parent)) {
            return;
        }
        createMissingParents(parent);
        try {
            Files.createDirectory(parent, PosixFilePermissions.asFileAttribute(DIRECTORY));
            Files.setPosixFilePermissions(parent, DIRECTORY);
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(parent)) {
                throw raced;
            }
        }
    }

    /** Creates {@code file} (which must not exist) with mode 0600. */
    public static Path createFile(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        Files.setPosixFilePermissions(file, FILE);
        return file;
    }
}
