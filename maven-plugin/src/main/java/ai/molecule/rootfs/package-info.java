/**
 * Assembles Debian packages into a deterministic root filesystem without running dpkg or any
 * maintainer script ({@link ai.molecule.rootfs.RootfsAssembler}), reading .debs with {@link
 * ai.molecule.rootfs.DebArchive} and a base image's state with {@link
 * ai.molecule.rootfs.BaseSystem}, written as one layer tar or as the layers of an {@link
 * ai.molecule.rootfs.OsLayerPlan}: package layers holding exactly what their packages ship, and the
 * system layer above them with everything else the assembled system has.
 *
 * <h2>What the maintainer scripts would have done, and is done here instead</h2>
 *
 * <p>Everything below but unpacking is done by a {@code RootfsEffect}, in the one order of
 * {@code RootfsAssembler.EFFECTS}: {@code permission-fixes}, {@code alias-links}, {@code
 * package-defaults}, {@code shells}, {@code accounts}, {@code special-directories}, {@code
 * alternatives}, {@code pam-auth-update}, {@code ca-certificates}, {@code apt-sources}, {@code
 * dpkg-database}, {@code missing-parents}.
 *
 * <ul>
 *   <li>Unpacking as dpkg does: modes with setuid/setgid/sticky, owners (tar user/group names win
 *       over numbers once the accounts exist), symlinks, hardlinks; a directory shipped by many
 *       packages once (first one's mode); a file two packages ship differently goes to the one
 *       declaring {@code Replaces} on the other, otherwise the build fails naming both, as dpkg
 *       would refuse the second package.
 *   <li>Merged-/usr: {@code bin, sbin, lib, lib64} (and {@code lib32, libx32, libo32} when used)
 *       are symlinks into {@code /usr}; entries shipped under them move there and relative
 *       symlinks are rewritten to keep their meaning. base-files' {@code /var/run → /run} and
 *       {@code /var/lock → /run/lock} are handled the same way.
 *   <li>Accounts: base-passwd's master files, the base image's entries, system users and groups of
 *       {@code adduser --system}, {@code addgroup --system}, {@code useradd -r}, {@code groupadd
 *       -r}/{@code -g} and memberships of {@code adduser user group} (ids 100–999 in name order,
 *       declared gids first), then the declared accounts, locked; shadow files as {@code
 *       shadowconfig on} leaves them (0640 root:shadow); homes from {@code /etc/skel}.
 *   <li>{@code update-alternatives --install} calls (master, slaves, auto mode, dpkg's state files,
 *       merged with the base's groups); literal {@code chmod}/{@code chown} of shipped files (e.g.
 *       sudo's 0440 {@code /etc/sudoers}).
 *   <li>{@code /bin/sh → dash} and dash's diversions; base-files' directories, {@code
 *       /etc/profile}, root's dotfiles, {@code /var/log/wtmp}…; libc-bin's {@code /etc/nsswitch.conf}; readline's {@code
 *       /etc/inputrc}; login's {@code /etc/subuid}, {@code /etc/subgid}; libpam-modules' {@code
 *       /etc/environment}; tzdata's {@code /etc/localtime} (Etc/UTC, the non-interactive answer);
 *       netbase's {@code /etc/hosts} and {@code /etc/networks}; python3's {@code debian_config}
 *       and the {@code /usr/local/lib/python3.X/dist-packages} directory; debianutils' {@code
 *       /etc/shells} ({@code update-shells}).
 *   <li>{@code pam-auth-update --package}: {@code /etc/pam.d/common-*} and {@code /var/lib/pam}.
 *   <li>{@code update-ca-certificates}: {@code /etc/ca-certificates.conf}, the bundle, {@code .pem}
 *       links and OpenSSL subject-hash links, plus extra CA certificates.
 *   <li>The dpkg database (status, info files, trigger interests) and apt's sources.
 * </ul>
 *
 * <h2>Not emulated</h2>
 *
 * <ul>
 *   <li>{@code /etc/ld.so.cache} (libc-bin's ldconfig trigger). The dynamic loader searches {@code
 *       /lib/x86_64-linux-gnu}, {@code /usr/lib/x86_64-linux-gnu}, {@code /lib} and {@code /usr/lib}
 *       without it, where Debian packages put their libraries; only libraries in other {@code
 *       ld.so.conf.d} directories (e.g. {@code /usr/local/lib}) need {@code ldconfig} at run time.
 *       Installing a library later in the container runs the trigger and creates the cache.
 *   <li>Other dpkg triggers (man-db, mime, fontconfig, icon caches), Python byte-compilation
 *       ({@code py3compile}: modules compile on first import, as root into {@code __pycache__}),
 *       apt's auto-installed marks ({@code /var/lib/apt/extended_states}: every package counts as
 *       manually installed), archive overrides of {@code Priority}/{@code Section} in the status
 *       file (the .deb's own values are used), services ({@code update-rc.d}, {@code
 *       deb-systemd-helper}), debconf answers ({@code /var/cache/debconf}), other packages'
 *       diversions ({@code dpkg-divert}) and {@code dpkg-statoverride}.
 *   <li>Script effects written with shell logic rather than a literal call, beyond the packages
 *       listed above: files other postinsts write from here-documents, calls whose arguments hold
 *       variables (skipped and logged), {@code usermod -aG}, {@code gpasswd}, systemd-sysusers
 *       files, {@code /etc/subuid} ranges for declared accounts.
 *   <li>Versions in {@code Replaces} (any version counts); removal of files a newer version of a
 *       base image's package no longer ships; stale slave links of a base image's alternative
 *       group whose new best choice lacks that slave; PAM profiles, {@code /etc/shells} and CA
 *       certificates of the base image when the packages adding to them are installed on top of it.
 * </ul>
 */
package ai.molecule.rootfs;
