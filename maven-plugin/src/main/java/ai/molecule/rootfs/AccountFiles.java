package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.image.Account;
import ai.molecule.image.Group;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /etc/passwd}, {@code /etc/group} and their shadow files from base-passwd's masters, the
 * base image, the system accounts the maintainer scripts would add and the declared ones.
 */
final class AccountFiles {
    private AccountFiles() {}

    /**
     * Writes the four files and returns the database they were written from.
     *
     * @param mtime the layer's mtime, whose day is the shadow files' "last password change"
     */
    static AccountDatabase write(
            RootfsTree tree,
            List<DebArchive> fresh,
            Set<String> names,
            BaseSystem base,
            List<Group> groups,
            List<Account> accounts,
            Instant mtime,
            BuildLog log)
            throws IOException, RootfsException {
        Optional<String> masterPasswd = Optional.empty();
        Optional<String> masterGroup = Optional.empty();
        if (names.contains("base-passwd")) {
            masterPasswd = tree.readText("/usr/share/base-passwd/passwd.master");
            masterGroup = tree.readText("/usr/share/base-passwd/group.master");
        }
        List<SystemAccount> detected = new ArrayList<>();
        for (DebArchive deb : fresh) {
            for (String script : List.of("preinst", "postinst")) {
                deb.maintainerScript(script)
                        .ifPresent(text -> detected.addAll(SystemAccount.scan(deb.name(), script, text, log)));
            }
        }
        long days = Math.floorDiv(mtime.getEpochSecond(), 86_400L);
        AccountDatabase db = AccountDatabase.build(
                masterPasswd, masterGroup, base, detected, groups, accounts, days > 0 ? String.valueOf(days) : "", log);
        int shadowGid = db.gid("shadow").orElse(42);
        tree.addFile("/etc/passwd", db.passwdText().getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
        tree.addFile("/etc/group", db.groupText().getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
        tree.addFile("/etc/shadow", db.shadowText().getBytes(StandardCharsets.UTF_8), 0640, 0, shadowGid);
        tree.addFile("/etc/gshadow", db.gshadowText().getBytes(StandardCharsets.UTF_8), 0640, 0, shadowGid);
        return db;
    }
}
