package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import ai.molecule.image.Account;
import ai.molecule.image.Group;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code /etc/passwd}, {@code /etc/group}, {@code /etc/shadow} and {@code /etc/gshadow} as a
 * fresh Debian install leaves them: base-passwd's master files, the base image's entries, the
 * system accounts the packages' maintainer scripts would add, then the image's declared accounts;
 * converted to shadow passwords as passwd's postinst ({@code shadowconfig on}) does.
 */
final class AccountDatabase {
    static final int FIRST_SYSTEM_ID = 100;
    static final int LAST_SYSTEM_ID = 999;
    private static final int NOGROUP = 65534;
    /** The password field groupadd and useradd give what they create: locked ("!"). */
    private static final String NEW = "!";
    /** Declared accounts are locked with '*' (no password can ever match), as the master entries are. */
    private static final String DECLARED = "*";

    record User(String name, String password, int uid, int gid, String gecos, String home, String shell) {
        String line() {
            return String.join(":", name, "x", String.valueOf(uid), String.valueOf(gid), gecos, home, shell);
        }
    }

    record GroupEntry(String name, String password, int gid, List<String> members) {
        GroupEntry {
            members = List.copyOf(members);
        }

        String line() {
            return String.join(":", name, "x", String.valueOf(gid), String.join(",", members));
        }

        GroupEntry withMember(String user) {
            if (members.contains(user)) {
                return this;
            }
            List<String> more = new ArrayList<>(members);
            more.add(user);
            return new GroupEntry(name, password, gid, more);
        }
    }

    /** A home directory an account needs; {@code skel} when it is filled from {@code /etc/skel}. */
    record Home(String path, int uid, int gid, int mode, boolean skel) {}

    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, GroupEntry> groups = new LinkedHashMap<>();
    private final Map<String, String> shadow = new LinkedHashMap<>();
    private final Map<String, String> gshadow = new LinkedHashMap<>();
    private final List<Home> homes = new ArrayList<>();
    private final String lastChange;
    private final BuildLog log;
    private final List<String> problems = new ArrayList<>();

    private AccountDatabase(String lastChange, BuildLog log) {
        this.lastChange = lastChange;
        this.log = log;
    }

    /**
     * Builds the four files.
     *
     * @param masterPasswd base-passwd's {@code passwd.master} when base-passwd is being installed
     * @param lastChange the shadow "last change" field: days since the epoch of the image mtime, or
     *     empty when that is day 0, which would force a password change and make PAM (and sudo)
     *     refuse the account
     */
    static AccountDatabase build(
            Optional<String> masterPasswd,
            Optional<String> masterGroup,
            BaseSystem base,
            List<SystemAccount> detected,
            List<Group> declaredGroups,
            List<Account> declaredAccounts,
            String lastChange,
            BuildLog log)
            throws RootfsException {
        AccountDatabase db = new AccountDatabase(lastChange, log);
        if (masterPasswd.isEmpty() && base.passwd().isBlank()) {
            throw new RootfsException("There is no /etc/passwd to start from: base-passwd is not among the"
                    + " packages and the base image has none. Add base-passwd to the packages (it is Essential"
                    + " in Debian) or build on a base image that has it installed");
        }
        masterPasswd.ifPresent(text -> db.readPasswd(text, "passwd.master"));
        masterGroup.ifPresent(text -> db.readGroup(text, "group.master"));
        db.readPasswd(base.passwd(), "the base image's /etc/passwd");
        db.readGroup(base.group(), "the base image's /etc/group");
        db.readShadow(base.shadow(), db.shadow);
        db.readShadow(base.gshadow(), db.gshadow);
        db.addSystemAccounts(detected, declaredGroups, declaredAccounts);
        db.addDeclared(declaredGroups, declaredAccounts);
        if (!db.problems.isEmpty()) {
            throw new RootfsException(db.problems);
        }
        return db;
    }

    String passwdText() {
        StringBuilder text = new StringBuilder();
        users.values().forEach(user -> text.append(user.line()).append('\n'));
        return text.toString();
    }

    String groupText() {
        StringBuilder text = new StringBuilder();
        groups.values().forEach(group -> text.append(group.line()).append('\n'));
        return text.toString();
    }

    String shadowText() {
        StringBuilder text = new StringBuilder();
        for (User user : users.values()) {
            String line = shadow.get(user.name());
            if (line == null) {
                String password = user.password().equals("x") ? "*" : user.password();
                line = user.name() + ":" + password + ":" + lastChange + ":0:99999:7:::";
            }
            text.append(line).append('\n');
        }
        return text.toString();
    }

    String gshadowText() {
        StringBuilder text = new StringBuilder();
        for (GroupEntry group : groups.values()) {
            String line = gshadow.get(group.name());
            String members = String.join(",", group.members());
            if (line == null) {
                String password = group.password().equals("x") ? "*" : group.password();
                line = group.name() + ":" + password + "::" + members;
            } else {
                String[] fields = line.split(":", -1);
                line = fields[0] + ":" + (fields.length > 1 ? fields[1] : "*") + ":"
                        + (fields.length > 2 ? fields[2] : "") + ":" + members;
            }
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** The uid of {@code name}, if the database has it. */
    Optional<Integer> uid(String name) {
        return Optional.ofNullable(users.get(name)).map(User::uid);
    }

    Optional<Integer> gid(String name) {
        return Optional.ofNullable(groups.get(name)).map(GroupEntry::gid);
    }

    List<Home> homes() {
        return List.copyOf(homes);
    }

    private void readPasswd(String text, String source) {
        for (String line : lines(text)) {
            String[] f = line.split(":", -1);
            if (f.length != 7 || !f[2].matches("\\d+") || !f[3].matches("\\d+")) {
                problems.add(source + " has a malformed line '" + line
                        + "'; a passwd line is name:password:uid:gid:gecos:home:shell");
                continue;
            }
            users.put(f[0], new User(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5], f[6]));
        }
    }

    private void readGroup(String text, String source) {
        for (String line : lines(text)) {
            String[] f = line.split(":", -1);
            if (f.length != 4 || !f[2].matches("\\d+")) {
                problems.add(
                        source + " has a malformed line '" + line + "'; a group line is name:password:gid:members");
                continue;
            }
            List<String> members = f[3].isEmpty() ? List.of() : List.of(f[3].split(","));
            groups.put(f[0], new GroupEntry(f[0], f[1], Integer.parseInt(f[2]), members));
        }
    }

    private void readShadow(String text, Map<String, String> into) {
        for (String line : lines(text)) {
            into.put(line.substring(0, Math.max(0, line.indexOf(':'))), line);
        }
    }

    private void addSystemAccounts(
            List<SystemAccount> detected, List<Group> declaredGroups, List<Account> declaredAccounts) {
        Set<Integer> usedUids = new HashSet<>();
        Set<Integer> usedGids = new HashSet<>();
        users.values().forEach(user -> usedUids.add(user.uid()));
        groups.values().forEach(group -> usedGids.add(group.gid()));
        declaredGroups.forEach(group -> usedGids.add(group.gid()));
        declaredAccounts.forEach(account -> {
            usedUids.add(account.uid());
            usedGids.add(account.gid());
        });
        Set<String> declaredGroupNames = new HashSet<>();
        declaredGroups.forEach(group -> declaredGroupNames.add(group.name()));
        Set<String> declaredUserNames = new HashSet<>();
        declaredAccounts.forEach(account -> declaredUserNames.add(account.name()));

        Map<String, SystemAccount> systemGroups = new TreeMap<>();
        Map<String, SystemAccount> systemUsers = new TreeMap<>();
        for (SystemAccount account : detected) {
            switch (account.kind()) {
                case GROUP -> systemGroups.putIfAbsent(account.name(), account);
                case USER -> systemUsers.putIfAbsent(account.name(), account);
                case MEMBERSHIP -> {}
            }
        }
        for (SystemAccount group : systemGroups.values()) {
            if (groups.containsKey(group.name()) || declaredGroupNames.contains(group.name())) {
                continue;
            }
            int gid = chooseId(group.id(), usedGids, "gid", group);
            if (gid >= 0) {
                groups.put(group.name(), new GroupEntry(group.name(), NEW, gid, List.of()));
                log.debug("System group " + group.name() + " gets gid " + gid + " (" + group.origin() + ")");
            }
        }
        for (SystemAccount user : systemUsers.values()) {
            if (users.containsKey(user.name()) || declaredUserNames.contains(user.name())) {
                continue;
            }
            int uid = chooseId(user.id(), usedUids, "uid", user);
            if (uid < 0) {
                continue;
            }
            Integer gid = primaryGid(user, usedGids);
            if (gid == null) {
                usedUids.remove(uid);
                continue;
            }
            users.put(user.name(), new User(user.name(), NEW, uid, gid, user.gecos(), user.home(), user.shell()));
            log.debug("System user " + user.name() + " gets uid " + uid + " gid " + gid + " (" + user.origin() + ")");
            if (user.createHome()) {
                homes.add(new Home(user.home(), uid, gid, 0755, false));
            }
        }
        for (SystemAccount membership : detected) {
            if (membership.kind() == SystemAccount.Kind.MEMBERSHIP) {
                addMember(membership.name(), membership.groupName(), membership.origin());
            }
        }
    }

    private Integer primaryGid(SystemAccount user, Set<Integer> usedGids) {
        if (user.gid() != null) {
            if (groups.values().stream().noneMatch(g -> g.gid() == user.gid())) {
                log.warn("System user " + user.name() + " (" + user.origin() + ") asks for gid " + user.gid()
                        + ", which no group has; the user is not created");
                return null;
            }
            return user.gid();
        }
        if (user.groupName() != null) {
            GroupEntry group = groups.get(user.groupName());
            if (group == null) {
                log.warn("System user " + user.name() + " (" + user.origin() + ") asks for group " + user.groupName()
                        + ", which does not exist; the user is not created");
                return null;
            }
            return group.gid();
        }
        if (user.ownGroup()) {
            GroupEntry own = groups.get(user.name());
            if (own != null) {
                return own.gid();
            }
            int gid = lowestFree(usedGids);
            if (gid < 0) {
                problems.add("No free gid in " + FIRST_SYSTEM_ID + "-" + LAST_SYSTEM_ID
                        + " for the group of system user " + user.name() + " (" + user.origin() + ")");
                return null;
            }
            usedGids.add(gid);
            groups.put(user.name(), new GroupEntry(user.name(), NEW, gid, List.of()));
            return gid;
        }
        GroupEntry nogroup = groups.get("nogroup");
        return nogroup == null ? NOGROUP : nogroup.gid();
    }

    private int chooseId(Integer wanted, Set<Integer> used, String kind, SystemAccount account) {
        if (wanted != null && !used.contains(wanted)) {
            used.add(wanted);
            return wanted;
        }
        if (wanted != null) {
            log.warn(account.origin() + " asks for " + kind + " " + wanted + " for " + account.name()
                    + ", which is taken; allocating another");
        }
        int id = lowestFree(used);
        if (id < 0) {
            problems.add("No free " + kind + " in " + FIRST_SYSTEM_ID + "-" + LAST_SYSTEM_ID + " for " + account.name()
                    + " (" + account.origin() + ")");
            return -1;
        }
        used.add(id);
        return id;
    }

    private static int lowestFree(Set<Integer> used) {
        for (int id = FIRST_SYSTEM_ID; id <= LAST_SYSTEM_ID; id++) {
            if (!used.contains(id)) {
                return id;
            }
        }
        return -1;
    }

    private void addDeclared(List<Group> declaredGroups, List<Account> declaredAccounts) {
        for (Group declared : declaredGroups) {
            Optional<GroupEntry> holder = groupWithGid(declared.gid());
            if (holder.isPresent() && !holder.get().name().equals(declared.name())) {
                problems.add("Declared group " + declared.name() + " wants gid " + declared.gid() + ", but group "
                        + holder.get().name() + " already has it; choose another gid");
                continue;
            }
            GroupEntry existing = groups.get(declared.name());
            if (existing == null) {
                groups.put(declared.name(), new GroupEntry(declared.name(), NEW, declared.gid(), List.of()));
            } else if (existing.gid() != declared.gid()) {
                log.info("Group " + declared.name() + " gets the declared gid " + declared.gid() + " instead of "
                        + existing.gid());
                groups.put(
                        declared.name(),
                        new GroupEntry(declared.name(), existing.password(), declared.gid(), existing.members()));
            }
        }
        for (Account account : declaredAccounts) {
            int before = problems.size();
            users.values().stream()
                    .filter(u -> u.uid() == account.uid() && !u.name().equals(account.name()))
                    .findFirst()
                    .ifPresent(holder -> problems.add("Declared account " + account.name() + " wants uid "
                            + account.uid() + ", but user " + holder.name() + " already has it; choose another uid"));
            GroupEntry sameName = groups.get(account.name());
            boolean needsOwnGroup = groupWithGid(account.gid()).isEmpty();
            if (needsOwnGroup && sameName != null) {
                problems.add("Declared account " + account.name() + " has primary gid " + account.gid()
                        + ", which no group has, and group " + account.name() + " exists with gid " + sameName.gid()
                        + "; use gid " + sameName.gid() + " or declare a group with gid " + account.gid());
            }
            for (String group : account.supplementaryGroups()) {
                if (!groups.containsKey(group)) {
                    problems.add("Declared account " + account.name() + " lists supplementary group " + group
                            + ", which no package, base image or declared group creates; declare it with a gid");
                }
            }
            if (problems.size() > before) {
                continue;
            }
            if (needsOwnGroup) {
                groups.put(account.name(), new GroupEntry(account.name(), NEW, account.gid(), List.of()));
            }
            users.put(
                    account.name(),
                    new User(
                            account.name(),
                            DECLARED,
                            account.uid(),
                            account.gid(),
                            "",
                            account.home(),
                            account.shell()));
            shadow.remove(account.name());
            for (String group : account.supplementaryGroups()) {
                addMember(account.name(), group, "declared account " + account.name());
            }
            homes.add(new Home(account.home(), account.uid(), account.gid(), 0755, true));
        }
    }

    private void addMember(String user, String group, String origin) {
        GroupEntry entry = groups.get(group);
        if (entry == null || !users.containsKey(user)) {
            log.warn("Cannot add " + user + " to group " + group + " (" + origin + "): "
                    + (entry == null ? "the group" : "the user") + " does not exist");
            return;
        }
        groups.put(group, entry.withMember(user));
    }

    private Optional<GroupEntry> groupWithGid(int gid) {
        return groups.values().stream().filter(g -> g.gid() == gid).min(Comparator.comparing(GroupEntry::name));
    }

    private static List<String> lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).toList();
    }
}
