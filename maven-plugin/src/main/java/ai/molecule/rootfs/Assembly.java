package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.image.Account;
import ai.molecule.image.Group;
import ai.molecule.rootfs.PackageUnpacker.Unpacked;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * What the {@link RootfsEffect}s of one assembly share: the unpacked tree they change, the inputs
 * they read, and what an earlier effect produces for a later one or for the result.
 */
final class Assembly {
    private final RootfsTree tree;
    private final List<DebArchive> fresh;
    private final Set<String> names;
    private final BaseSystem base;
    private final List<Unpacked> unpacked;
    private final List<Account> accounts;
    private final List<Group> groups;
    private final List<Path> extraCaCertificates;
    private final Optional<AptSources> aptSources;
    private final Instant mtime;
    private final BuildLog log;
    private AccountDatabase accountDatabase;
    private SortedMap<String, String> alternatives;

    /**
     * @param fresh the packages written into the layer (not those already in the base), in order
     * @param names their package names, in the same order (package defaults are applied in it)
     * @param unpacked what unpacking placed of each, in the same order
     */
    Assembly(
            RootfsTree tree,
            List<DebArchive> fresh,
            Set<String> names,
            BaseSystem base,
            List<Unpacked> unpacked,
            List<Account> accounts,
            List<Group> groups,
            List<Path> extraCaCertificates,
            Optional<AptSources> aptSources,
            Instant mtime,
            BuildLog log) {
        this.tree = Objects.requireNonNull(tree, "tree");
        this.fresh = List.copyOf(fresh);
        this.names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
        this.base = Objects.requireNonNull(base, "base");
        this.unpacked = List.copyOf(unpacked);
        this.accounts = List.copyOf(accounts);
        this.groups = List.copyOf(groups);
        this.extraCaCertificates = List.copyOf(extraCaCertificates);
        this.aptSources = Objects.requireNonNull(aptSources, "aptSources");
        this.mtime = Objects.requireNonNull(mtime, "mtime");
        this.log = Objects.requireNonNull(log, "log");
    }

    RootfsTree tree() {
        return tree;
    }

    List<DebArchive> fresh() {
        return fresh;
    }

    Set<String> names() {
        return names;
    }

    BaseSystem base() {
        return base;
    }

    List<Unpacked> unpacked() {
        return unpacked;
    }

    /** The declared accounts. */
    List<Account> accounts() {
        return accounts;
    }

    /** The declared groups. */
    List<Group> groups() {
        return groups;
    }

    List<Path> extraCaCertificates() {
        return extraCaCertificates;
    }

    Optional<AptSources> aptSources() {
        return aptSources;
    }

    Instant mtime() {
        return mtime;
    }

    BuildLog log() {
        return log;
    }

    /** The accounts effect's database, which homes and the tar's owner names need. */
    AccountDatabase accountDatabase() {
        return produced(accountDatabase, "accounts");
    }

    void accountDatabase(AccountDatabase accountDatabase) {
        this.accountDatabase = Objects.requireNonNull(accountDatabase, "accountDatabase");
    }

    /** The alternatives effect's choices, group name → chosen path, for the result. */
    SortedMap<String, String> alternatives() {
        return produced(alternatives, "alternatives");
    }

    void alternatives(SortedMap<String, String> alternatives) {
        this.alternatives = Objects.requireNonNull(alternatives, "alternatives");
    }

    private static <T> T produced(T value, String effect) {
        if (value == null) {
            throw new IllegalStateException("the " + effect + " effect has not run yet; RootfsAssembler.EFFECTS"
                    + " runs it before every effect that reads what it produces");
        }
        return value;
    }
}
