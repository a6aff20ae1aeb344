package ai.molecule.rootfs;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File contents parked in one temporary file while the tree is built: the layer lists entries in
 * path order across all packages, but each package's data.tar can only be read front to back once.
 * Every stored content gets its md5, which dpkg's md5sums and Conffiles need anyway.
 */
final class ContentSpool implements Closeable {
    private final Path file;
    private final OutputStream out;
    private final FileChannel reader;
    private long written;
    /** One buffer each way for the whole spool (its methods are synchronized), not one per file. */
    private final byte[] storeBuffer = new byte[1 << 16];

    private final ByteBuffer copyBuffer = ByteBuffer.allocate(1 << 16);

    /** Where a content lies: which spool, and where in it. */
    record Blob(ContentSpool spool, long offset, long size, String md5) {
        byte[] read() throws IOException {
            return spool.read(this);
        }

        void copyTo(OutputStream target) throws IOException {
            spool.copyTo(this, target);
        }
    }

    private ContentSpool(Path file, boolean writable) throws IOException {
        this.file = file;
        this.out = writable ? new BufferedOutputStream(Files.newOutputStream(file), 1 << 16) : null;
        this.reader = FileChannel.open(file, StandardOpenOption.READ);
    }

    /**
     * An existing file read as a spool (a cached layer tar whose entries' contents are taken as
     * they lie); nothing can be stored in it and closing it leaves the file.
     */
    static ContentSpool over(Path file) throws IOException {
        return new ContentSpool(file, false);
    }

    /** The content at {@code offset} of a spool {@link #over} a file. */
    Blob at(long offset, long size, String md5) {
        return new Blob(this, offset, size, md5);
    }

    /** A new spool in {@code directory} (the system temp directory when {@code null}). */
    static ContentSpool create(Path directory) throws IOException {
        Path file = directory == null
                ? Files.createTempFile("molecule-rootfs-", ".spool")
                : Files.createTempFile(Files.createDirectories(directory), "molecule-rootfs-", ".spool");
        return new ContentSpool(file, true);
    }

    /** Stores exactly {@code size} bytes from {@code in}; fewer means the source is truncated. */
    synchronized Blob store(InputStream in, long size, String what) throws IOException {
        writable();
        MessageDigest md5 = md5();
        byte[] buffer = storeBuffer;
        long remaining = size;
        long offset = written;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new IOException(what + " ends after " + (size - remaining) + " of its " + size + " bytes");
            }
            out.write(buffer, 0, n);
            md5.update(buffer, 0, n);
            remaining -= n;
        }
        written += size;
        return new Blob(this, offset, size, HexFormat.of().formatHex(md5.digest()));
    }

    synchronized Blob store(byte[] content) throws IOException {
        writable();
        long offset = written;
        out.write(content);
        written += content.length;
        return new Blob(this, offset, content.length, HexFormat.of().formatHex(md5().digest(content)));
    }

    private void writable() {
        if (out == null) {
            throw new IllegalStateException("spool " + file + " is a file read as it lies; nothing is stored in it");
        }
    }

    private void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    private synchronized byte[] read(Blob blob) throws IOException {
        flush();
        if (blob.size() > Integer.MAX_VALUE - 16) {
            throw new IOException("a " + blob.size() + "-byte file is too large to read into memory");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) blob.size());
        long position = blob.offset();
        while (buffer.hasRemaining()) {
            int n = reader.read(buffer, position);
            if (n < 0) {
                throw new IOException("spool file " + file + " is shorter than expected");
            }
            position += n;
        }
        return buffer.array();
    }

    private synchronized void copyTo(Blob blob, OutputStream target) throws IOException {
        flush();
        ByteBuffer buffer = copyBuffer;
        long position = blob.offset();
        long end = blob.offset() + blob.size();
        while (position < end) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), end - position));
            int n = reader.read(buffer, position);
            if (n < 0) {
                throw new IOException("spool file " + file + " is shorter than expected");
            }
            target.write(buffer.array(), 0, n);
            position += n;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (out == null) {
            reader.close();
            return;
        }
        try (reader) {
            out.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
