package ai.molecule.rootfs;

import ai.molecule.debian.ControlFile;
import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A Debian binary package read the way {@code dpkg-deb} reads it: an ar archive holding {@code
 * debian-binary}, {@code control.tar[.gz|.xz|.zst]} and {@code data.tar[.gz|.xz|.zst|.bz2|.lzma]}.
 * The control part is read at once (it is small); the data part is streamed by {@link #openData()}.
 * Every {@link IOException} names the .deb and what is wrong with it.
 */
public final class DebArchive {
    private final Path file;
    private final Map<String, String> control;
    private final Map<String, ControlMember> members;

    /**
     * A file of {@code control.tar} other than {@code control} itself ({@code postinst}, {@code
     * conffiles}, {@code md5sums}, {@code triggers}, {@code shlibs}, …), with the mode it was shipped
     * with, because dpkg copies these into {@code /var/lib/dpkg/info} as they are.
     */
    public record ControlMember(String name, int mode, byte[] content) {
        public ControlMember {
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private DebArchive(Path file, Map<String, String> control, Map<String, ControlMember> members) {
        this.file = file;
        this.control = Collections.unmodifiableMap(control);
        this.members = Collections.unmodifiableMap(members);
    }

    /** Reads the ar structure and the control part of {@code deb}. */
    public static DebArchive open(Path deb) throws IOException {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            ArArchiveEntry first = nextMember(ar, deb);
            if (first == null || !memberName(first).equals("debian-binary")) {
                throw new IOException(deb + " is not a Debian package: its first ar member is "
                        + (first == null ? "missing" : "'" + memberName(first) + "'")
                        + ", not 'debian-binary'");
            }
            String format = new String(ar.readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!format.startsWith("2.")) {
                throw new IOException(deb + " has package format '" + format
                        + "' in debian-binary; only format 2.x (every .deb since dpkg 0.93) is readable");
            }
            ArArchiveEntry controlMember = nextMember(ar, deb);
            while (controlMember != null && memberName(controlMember).startsWith("_")) {
                // dpkg-deb skips members starting with '_' (e.g. signatures added by debsigs).
                controlMember = nextMember(ar, deb);
            }
            if (controlMember == null || !memberName(controlMember).startsWith("control.tar")) {
                throw new IOException(deb + " has no control.tar member after debian-binary (found "
                        + (controlMember == null ? "nothing" : "'" + memberName(controlMember) + "'")
                        + "); the file is truncated or not a .deb");
            }
            Map<String, ControlMember> members;
            try (InputStream control = decompress(ar, memberName(controlMember), deb)) {
                members = readControl(control, deb);
            }
            ControlMember controlFile = members.remove("control");
            if (controlFile == null) {
                throw new IOException(deb + " has no 'control' file in its " + memberName(controlMember));
            }
            List<Map<String, String>> paragraphs = ControlFile.parse(new StringReader(controlFile.text()));
            if (paragraphs.size() != 1) {
                throw new IOException(deb + " has " + paragraphs.size()
                        + " paragraphs in its control file; a binary package has exactly one");
            }
            Map<String, String> fields = keepTrailingSpace(paragraphs.get(0), controlFile.text());
            for (String required : List.of("Package", "Version", "Architecture")) {
                if (!fields.containsKey(required)) {
                    throw new IOException(deb + " has no " + required + " field in its control file");
                }
            }
            return new DebArchive(deb, new LinkedHashMap<>(fields), members);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains(deb.toString())) {
                throw e;
            }
            throw new IOException(deb + " cannot be read as a Debian package: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** The control paragraph, fields in the order the package wrote them. */
    public Map<String, String> control() {
        return control;
    }

    public String name() {
        return control.get("Package");
    }

    public String version() {
        return control.get("Version");
    }

    public String architecture() {
        return control.get("Architecture");
    }

    /** An absent field is {@code ""}. */
    public String field(String name) {
        return control.getOrDefault(name, "");
    }

    /** {@code Multi-Arch: same} packages are co-installable per architecture, so dpkg names their files {@code name:arch}. */
    public boolean multiArchSame() {
        return field("Multi-Arch").equals("same");
    }

    /** {@code name} or, for {@code Multi-Arch: same}, {@code name:arch}: how dpkg names the package's info files. */
    public String dpkgName() {
        return multiArchSame() ? name() + ":" + architecture() : name();
    }

    /** Every control member but {@code control}, by name. */
    public Map<String, ControlMember> controlMembers() {
        return members;
    }

    /**
     * Paths of the package's conffiles. Lines carrying a flag ({@code remove-on-upgrade /etc/x}) name
     * files the package no longer ships, so they are not conffiles of a fresh install.
     */
    public List<String> conffiles() {
        ControlMember member = members.get("conffiles");
        if (member == null) {
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        for (String line : member.text().split("\n")) {
            String path = line.strip();
            if (path.startsWith("/")) {
                paths.add(path);
            }
        }
        return List.copyOf(paths);
    }

    /** The text of a maintainer script ({@code postinst}, …), if the package has one. */
    public Optional<String> maintainerScript(String name) {
        return Optional.ofNullable(members.get(name)).map(ControlMember::text);
    }

    /**
     * The shipped {@code md5sums} member as relative path ({@code usr/bin/sudo}) → md5, if the package
     * has one (dh_md5sums leaves conffiles out of it).
     */
    public Optional<Map<String, String>> md5sums() throws IOException {
        ControlMember member = members.get("md5sums");
        if (member == null) {
            return Optional.empty();
        }
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : member.text().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space != 32 || line.length() < 35) {
                throw new IOException(file + " has a malformed md5sums line: '" + line + "'");
            }
            String path = line.substring(34);
            sums.put(path.startsWith("./") ? path.substring(2) : path, line.substring(0, 32));
        }
        return Optional.of(Collections.unmodifiableMap(sums));
    }

    /** Streams the entries of {@code data.tar}; close it when done. */
    public Data openData() throws IOException {
        ArArchiveInputStream ar =
                new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        try {
            for (ArArchiveEntry member; (member = nextMember(ar, file)) != null; ) {
                String name = memberName(member);
                if (name.startsWith("data.tar")) {
                    return new Data(file, new TarArchiveInputStream(decompress(ar, name, file), "UTF-8"), ar);
                }
            }
            throw new IOException(file + " has no data.tar member; the file is truncated or not a .deb");
        } catch (IOException | RuntimeException e) {
            ar.close();
            throw e;
        }
    }

    /** The entries of a package's data.tar, read once, in archive order. */
    public static final class Data implements Closeable {
        private final Path deb;
        private final TarArchiveInputStream tar;
        private final Closeable underlying;
        private DebEntry current;

        private Data(Path deb, TarArchiveInputStream tar, Closeable underlying) {
            this.deb = deb;
            this.tar = tar;
            this.underlying = underlying;
        }

        /** The next entry, or {@code null} after the last. */
        public DebEntry next() throws IOException {
            TarArchiveEntry entry;
            try {
                entry = tar.getNextEntry();
            } catch (IOException e) {
                throw new IOException(deb + " has a damaged data.tar: " + e.getMessage(), e);
            }
            if (entry == null) {
                current = null;
                return null;
            }
            current = toEntry(entry);
            return current;
        }

        /** The content of the current {@link DebEntry.Type#FILE} entry; valid until {@link #next()}. */
        public InputStream content() {
            if (current == null || current.type() != DebEntry.Type.FILE) {
                throw new IllegalStateException("the current entry has no content: " + current);
            }
            return tar;
        }

        private DebEntry toEntry(TarArchiveEntry entry) throws IOException {
            String path = normalize(entry.getName(), "entry");
            int mode = entry.getMode() & 07777;
            int uid = Math.toIntExact(entry.getLongUserId());
            int gid = Math.toIntExact(entry.getLongGroupId());
            DebEntry.Type type;
            long size = 0;
            String link = null;
            if (entry.isDirectory()) {
                type = DebEntry.Type.DIRECTORY;
            } else if (entry.isSymbolicLink()) {
                type = DebEntry.Type.SYMLINK;
                link = entry.getLinkName();
            } else if (entry.isLink()) {
                type = DebEntry.Type.HARDLINK;
                link = normalize(entry.getLinkName(), "hardlink target");
            } else if (entry.isFile()) {
                type = DebEntry.Type.FILE;
                size = entry.getSize();
            } else {
                throw new IOException(deb + " ships " + path + " as a device, fifo or other special file (tar type '"
                        + (char) entry.getLinkFlag() + "'); container layers hold only files, directories and links");
            }
            return new DebEntry(type, path, mode, uid, gid, entry.getUserName(), entry.getGroupName(), size, link);
        }

        private String normalize(String tarName, String what) throws IOException {
            String name = tarName;
            while (name.startsWith("./")) {
                name = name.substring(2);
            }
            while (name.startsWith("/")) {
                name = name.substring(1);
            }
            while (name.endsWith("/")) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.equals(".") || name.isEmpty()) {
                return "/";
            }
            for (String part : name.split("/")) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    throw new IOException(deb + " has a data.tar " + what + " '" + tarName
                            + "' with an empty, '.' or '..' component; refusing to unpack it");
                }
            }
            return "/" + name;
        }

        @Override
        public void close() throws IOException {
            try {
                tar.close();
            } finally {
                underlying.close();
            }
        }
    }

    private static ArArchiveEntry nextMember(ArArchiveInputStream ar, Path deb) throws IOException {
        try {
            return ar.getNextEntry();
        } catch (IOException e) {
            throw new IOException(deb + " is not a valid ar archive (a .deb is one): " + e.getMessage(), e);
        }
    }

    private static String memberName(ArArchiveEntry entry) {
        String name = entry.getName();
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static InputStream decompress(InputStream raw, String member, Path deb) throws IOException {
        // The ar stream must stay open for the caller; closing a decompressor closes its source.
        InputStream in = new BufferedInputStream(new NonClosing(raw), 1 << 16);
        String suffix = member.substring(member.indexOf(".tar") + 4);
        return switch (suffix) {
            case "" -> in;
            case ".gz" -> new GZIPInputStream(in, 1 << 16);
            // xz's dictionary buffers (8 MiB for dpkg-deb's default level) are reused across packages
            // and threads instead of allocated twice per package.
            case ".xz" -> new XZInputStream(in, -1, BasicArrayCache.getInstance());
            case ".zst" -> new ZstdInputStream(in);
            case ".bz2" -> new BZip2CompressorInputStream(in, true);
            case ".lzma" -> new LZMAInputStream(in);
            default ->
                throw new IOException(deb + " has member " + member
                        + " compressed with an unknown method; dpkg-deb writes .gz, .xz, .zst, .bz2, .lzma or none");
        };
    }

    private static Map<String, ControlMember> readControl(InputStream in, Path deb) throws IOException {
        Map<String, ControlMember> members = new TreeMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            if (!entry.isFile()) {
                continue;
            }
            String name = entry.getName();
            while (name.startsWith("./")) {
                name = name.substring(2);
            }
            if (name.contains("/")) {
                throw new IOException(deb + " has a control member in a subdirectory (" + entry.getName()
                        + "); dpkg-deb never builds that");
            }
            members.put(name, new ControlMember(name, entry.getMode() & 07777, tar.readAllBytes()));
        }
        return members;
    }

    /**
     * The parsed fields with the trailing whitespace of a field's first line put back: dpkg keeps
     * it in its status file (a few packages' Descriptions end in a space), and so must we to write
     * the same status.
     */
    private static Map<String, String> keepTrailingSpace(Map<String, String> parsed, String text) {
        Map<String, String> fields = new LinkedHashMap<>(parsed);
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t' || line.charAt(0) == '#') {
                continue;
            }
            String name = line.substring(0, colon);
            String raw = line.substring(colon + 1).stripLeading();
            String value = fields.get(name);
            if (value != null && !raw.equals(raw.strip())) {
                String first = value.contains("\n") ? value.substring(0, value.indexOf('\n')) : value;
                if (first.equals(raw.strip())) {
                    fields.put(name, raw + value.substring(first.length()));
                }
            }
        }
        return fields;
    }

    /** Keeps a decompressor's close() from closing the ar stream underneath it. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }
}
