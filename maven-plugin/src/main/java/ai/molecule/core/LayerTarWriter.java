package ai.molecule.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer as an uncompressed tar, byte-identical for identical inputs: entries in path order,
 * one fixed mtime, numeric owners without names, full modes including setuid/setgid/sticky.
 */
public final class LayerTarWriter {
    private static final int TYPE_DIRECTORY = 0040000;
    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_SYMLINK = 0120000;

    private LayerTarWriter() {}

    public static void write(LayerSpec layer, Instant mtime, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = open(out);
        for (LayerEntry entry : layer.entries()) {
            writeEntry(tar, entry, mtime);
        }
        tar.finish();
        tar.flush();
    }

    /** A tar stream configured the way every Molecule tar is written (PAX for long names). */
    public static TarArchiveOutputStream open(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    /**
     * Stamps a header the way every Molecule layer entry is stamped: the given mode (type bits
     * included), one fixed mtime, numeric owner and no user or group names, so that the bytes do not
     * depend on the build machine's accounts.
     */
    public static void stamp(TarArchiveEntry header, int mode, int uid, int gid, Instant mtime) {
        header.setMode(mode);
        header.setModTime(Date.from(mtime));
        header.setUserId(uid);
        header.setGroupId(gid);
        header.setUserName("");
        header.setGroupName("");
    }

    private static void writeEntry(TarArchiveOutputStream tar, LayerEntry entry, Instant mtime) throws IOException {
        String name = entry.path().substring(1);
        TarArchiveEntry header;
        switch (entry.type()) {
            case DIRECTORY -> {
                header = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
                header.setMode(TYPE_DIRECTORY | entry.mode());
            }
            case SYMLINK -> {
                header = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                header.setLinkName(entry.linkTarget());
                header.setMode(TYPE_SYMLINK | entry.mode());
            }
            case HARDLINK -> {
                header = new TarArchiveEntry(name, TarConstants.LF_LINK);
                header.setLinkName(entry.linkTarget().substring(1));
                header.setMode(TYPE_FILE | entry.mode());
            }
            case FILE -> {
                header = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                header.setMode(TYPE_FILE | entry.mode());
                header.setSize(Files.size(entry.source()));
            }
            default -> throw new IllegalStateException("unknown entry type " + entry.type());
        }
        stamp(header, header.getMode(), entry.uid(), entry.gid(), mtime);
        tar.putArchiveEntry(header);
        if (entry.type() == LayerEntry.Type.FILE) {
            long copied = Files.copy(entry.source(), tar);
            if (copied != header.getSize()) {
                throw new IOException(entry.source() + " changed size while it was being added to the layer");
            }
        }
        tar.closeArchiveEntry();
    }
}
