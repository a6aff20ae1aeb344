package ai.molecule.debian;

import static ai.molecule.debian.TestArchive.excluding;
import static ai.molecule.debian.TestArchive.request;
import static ai.molecule.debian.TestArchive.withInstalled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ai.molecule.core.MoleculeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResolverTest {
    private static final String EVERYWHERE = "bookworm-security, bookworm-updates, bookworm (amd64)";

    private final TestArchive archive = new TestArchive();

    @Test
    void dependenciesAndPreDependsAreFollowedRecommendsAndSuggestsAreNot() throws ResolutionException {
        archive.add("foo", "1.0", "Depends: libbar", "Pre-Depends: libpre", "Recommends: rec", "Suggests: sug")
                .add("libbar", "2.0", "Depends: libc6")
                .add("libpre", "1")
                .add("libc6", "2.36")
                .add("rec", "1")
                .add("sug", "1");

        assertThat(archive.resolve("foo").names()).containsExactly("foo", "libbar", "libc6", "libpre");
    }

    @Test
    void closureIsSortedByNameAndRecordsWhyEachPackageIsThere() throws ResolutionException {
        archive.add("zed", "1", "Depends: libbar (>= 2.0)")
                .add("libbar", "2.1", "Depends: libc6")
                .add("libc6", "2.36");

        Resolution resolution = archive.resolve("zed");

        assertThat(resolution.names()).containsExactly("libbar", "libc6", "zed");
        assertThat(resolution.chain("zed")).hasToString("<packages> asks for zed");
        assertThat(resolution.chain("libc6"))
                .hasToString("<packages> asks for zed: zed 1 → Depends: libbar (>= 2.0) → libbar 2.1 → Depends: libc6");
        assertThat(resolution.chain("libc6").links())
                .extracting(Chain.Link::name)
                .containsExactly("zed", "libbar");
        assertThat(resolution.lock()).extracting(LockedPackage::version).containsExactly("2.1", "2.36", "1");
        assertThat(resolution.downloadSize()).isEqualTo(3 * 1048576L);
    }

    @Test
    void securityFixNewerThanTheReleaseIsTaken() throws ResolutionException {
        archive.add("sudo", "1.9.13p3-1")
                .addTo("bookworm-security", "sudo", "1.9.13p3-1+deb12u1")
                .add("tzdata", "2024a-0+deb12u1")
                .addTo("bookworm-updates", "tzdata", "2025b-0+deb12u1");

        Resolution resolution = archive.resolve("sudo", "tzdata");

        assertThat(resolution.packages())
                .extracting(PackageStanza::name, PackageStanza::version, PackageStanza::suite)
                .containsExactly(
                        tuple("sudo", "1.9.13p3-1+deb12u1", "bookworm-security"),
                        tuple("tzdata", "2025b-0+deb12u1", "bookworm-updates"));
    }

    @Test
    void aPreferredVersionIsKeptWhileTheArchiveHasItElseTheCandidateIsTaken() throws ResolutionException {
        // A re-lock keeps curl at its locked version although -security has a newer one; libcurl4's
        // locked version is gone from the archive, so its candidate comes in.
        archive.add("curl", "7.88.1-10+deb12u8", "Depends: libcurl4")
                .addTo("bookworm-security", "curl", "7.88.1-10+deb12u14", "Depends: libcurl4")
                .add("libcurl4", "7.88.1-10+deb12u8");
        Map<String, String> locked = Map.of("curl", "7.88.1-10+deb12u8", "libcurl4", "7.88.1-10+deb12u5");

        Resolution relocked =
                archive.resolve(new ResolutionRequest(List.of("curl"), List.of(), Map.of(), false, locked));

        assertThat(relocked.packages())
                .extracting(PackageStanza::name, PackageStanza::version, PackageStanza::suite)
                .containsExactly(
                        tuple("curl", "7.88.1-10+deb12u8", "bookworm"),
                        tuple("libcurl4", "7.88.1-10+deb12u8", "bookworm"));
        assertThat(archive.resolve("curl").packages().get(0).suite()).isEqualTo("bookworm-security");
    }

    @Test
    void pointReleaseNewerThanAnOldSecurityBuildWins() throws ResolutionException {
        // As on the real archive: bookworm-security still lists curl +deb12u5, bookworm has +deb12u15.
        archive.add("curl", "7.88.1-10+deb12u15").addTo("bookworm-security", "curl", "7.88.1-10+deb12u5");

        assertThat(archive.resolve("curl").packages())
                .extracting(PackageStanza::version, PackageStanza::suite)
                .containsExactly(tuple("7.88.1-10+deb12u15", "bookworm"));
    }

    @Test
    void sameVersionInSeveralSuitesComesFromTheEarliest() throws ResolutionException {
        archive.add("libc6", "2.36-9+deb12u7")
                .addTo("bookworm-updates", "libc6", "2.36-9+deb12u7")
                .addTo("bookworm-security", "libc6", "2.36-9+deb12u7");

        assertThat(archive.resolve("libc6").packages().get(0).suite()).isEqualTo("bookworm-security");
    }

    @Test
    void withinOneSuiteTheHighestVersionWins() throws ResolutionException {
        archive.add("foo", "1.9").add("foo", "1.10").add("foo", "1.10~rc1");

        assertThat(archive.resolve("foo").packages().get(0).version()).isEqualTo("1.10");
    }

    @Test
    void pinnedVersionIsTakenFromAnySuite() throws ResolutionException {
        archive.add("foo", "1.0", "Depends: libbar")
                .addTo("bookworm-security", "foo", "1.0+deb12u1")
                .add("libbar", "1");

        Resolution resolution = archive.resolve("foo=1.0");

        assertThat(resolution.packages())
                .extracting(PackageStanza::name, PackageStanza::version)
                .containsExactly(tuple("foo", "1.0"), tuple("libbar", "1"));
    }

    @Test
    void pinnedVersionMatchesAsDpkgCompares() throws ResolutionException {
        archive.add("foo", "1:1.0-1");

        assertThat(archive.resolve("foo=1:1.00-1").packages().get(0).version()).isEqualTo("1:1.0-1");
    }

    @Test
    void pinOfAMissingVersionListsTheVersionsThereAre() {
        archive.add("curl", "7.88.1-10").addTo("bookworm-security", "curl", "7.88.1-10+deb12u5");

        assertThatThrownBy(() -> archive.resolve("curl=9.9"))
                .isInstanceOf(ResolutionException.class)
                .hasMessage("no version 9.9 of 'curl' in " + EVERYWHERE + "; there are 7.88.1-10+deb12u5"
                        + " (bookworm-security), 7.88.1-10 (bookworm). Fix 'curl=9.9' in <packages>: pin one of"
                        + " those or write just curl");
    }

    @Test
    void pinThatIsNoVersionSaysSo() {
        archive.add("curl", "7.88.1-10");

        assertThatThrownBy(() -> archive.resolve("curl=latest"))
                .hasMessageStartingWith("<packages>: 'curl=latest' pins 'latest' is not a Debian version: the upstream"
                        + " part 'latest' does not start with a digit");
    }

    @Test
    void entryThatIsNoRequestIsRefused() {
        assertThatThrownBy(() -> archive.resolve("curl="))
                .hasMessage("<packages>: 'curl=' is neither 'name' nor 'name=version'. Write e.g. curl or"
                        + " curl=7.88.1-10+deb12u5");
    }

    @Test
    void twoPinsOfOnePackageAreRefused() {
        archive.add("curl", "1").add("curl", "2");

        assertThatThrownBy(() -> archive.resolve("curl=1", "curl=2"))
                .hasMessage("<packages> lists both 'curl=1' and 'curl=2'. Keep one of them");
    }

    @Test
    void tooOldDependencyFailsWithTheWholeChainAndTheFix() {
        archive.add("foo", "1.0", "Depends: libbar (>= 2.0)").add("libbar", "1.5");

        assertThatThrownBy(() -> archive.resolve("foo"))
                .isInstanceOf(ResolutionException.class)
                .isInstanceOf(MoleculeException.class)
                .hasMessage("cannot install 'foo': foo 1.0 → Depends: libbar (>= 2.0) → libbar 1.5 (bookworm) is"
                        + " too old. Remove foo from <packages>, pin another version, or add a suite that has"
                        + " libbar (>= 2.0)");
    }

    @Test
    void tooNewDependencyIsCalledTooNew() {
        archive.add("foo", "1.0", "Depends: libbar (<< 2.0)").add("libbar", "2.0");

        assertThatThrownBy(() -> archive.resolve("foo")).hasMessageContaining("libbar 2.0 (bookworm) is too new.");
    }

    @Test
    void missingPackageDeepInTheClosureNamesEveryStep() {
        archive.add("app", "1", "Depends: liba").add("liba", "2", "Depends: libb (= 3)");

        assertThatThrownBy(() -> archive.resolve("app"))
                .hasMessage("cannot install 'app': app 1 → Depends: liba → liba 2 → Depends: libb (= 3) → no package"
                        + " 'libb' in " + EVERYWHERE + ". Remove app from <packages>, pin another version, or add a"
                        + " suite that has libb (= 3)");
    }

    @Test
    void pinnedDependencyThatIsTooOldSaysItIsPinned() {
        archive.add("foo", "1.0", "Depends: libbar (>= 2.0)")
                .add("libbar", "1.5")
                .add("libbar", "2.1");

        assertThatThrownBy(() -> archive.resolve("foo", "libbar=1.5"))
                .hasMessageContaining("libbar 1.5 (bookworm, pinned in <packages>) is too old");
    }

    @Test
    void unknownRequestNamesTheSuitesAndWhereToLook() {
        archive.add("curl", "1");

        assertThatThrownBy(() -> archive.resolve("nosuch"))
                .isInstanceOf(ResolutionException.class)
                .hasMessage("no package 'nosuch' in " + EVERYWHERE + ". Check the name in <packages>, e.g. at"
                        + " https://packages.debian.org/search?keywords=nosuch");
    }

    @Test
    void packagesOfOtherArchitecturesAreNotThere() throws ResolutionException {
        archive.add("foo", "1", "Architecture: i386").add("docs", "1", "Architecture: all");

        assertThat(archive.resolve("docs").names()).containsExactly("docs");
        assertThatThrownBy(() -> archive.resolve("foo")).hasMessageStartingWith("no package 'foo' in");
    }

    @Test
    void requestedAndExcludedFailsNamingBothElements() {
        archive.add("curl", "1");

        assertThatThrownBy(() -> archive.resolve(excluding(List.of("curl"), "curl")))
                .hasMessage("'curl' is in both <packages> and <excludes>. Remove it from one of them");
    }

    @Test
    void excludedDependencyWithoutAlternativeFails() {
        archive.add("foo", "1.0", "Depends: libbar").add("libbar", "1");

        assertThatThrownBy(() -> archive.resolve(excluding(List.of("libbar"), "foo")))
                .hasMessage("cannot install 'foo': foo 1.0 → Depends: libbar → libbar is in <excludes>. Remove"
                        + " libbar from <excludes>, or remove foo from <packages>");
    }

    @Test
    void everyUnusableAlternativeIsExplained() {
        archive.add("foo", "1.0", "Depends: a | b (>= 2) | c").add("a", "1").add("b", "1");

        assertThatThrownBy(() -> archive.resolve(excluding(List.of("a"), "foo")))
                .hasMessage("cannot install 'foo': foo 1.0 → Depends: a | b (>= 2) | c → a is in <excludes>; b 1"
                        + " (bookworm) is too old; no package 'c' in " + EVERYWHERE + ". Remove a from <excludes>,"
                        + " or remove foo from <packages>");
    }

    @Test
    void firstSatisfiableAlternativeIsTaken() throws ResolutionException {
        archive.add("foo", "1", "Depends: gone | old (>= 2) | skipped | mawk | gawk")
                .add("old", "1")
                .add("skipped", "1")
                .add("mawk", "1")
                .add("gawk", "1");

        assertThat(archive.resolve(excluding(List.of("skipped"), "foo")).names())
                .containsExactly("foo", "mawk");
    }

    @Test
    void alternativeAlreadyRequestedIsUsedWhateverItsPosition() throws ResolutionException {
        archive.add("foo", "1", "Depends: mawk | gawk").add("mawk", "1").add("gawk", "1");

        assertThat(archive.resolve("foo", "gawk").names()).containsExactly("foo", "gawk");
    }

    @Test
    void alternativeAlreadySelectedIsUsed() throws ResolutionException {
        archive.add("a", "1", "Depends: libx", "Pre-Depends: gawk")
                .add("libx", "1", "Depends: mawk | gawk")
                .add("mawk", "1")
                .add("gawk", "1");

        assertThat(archive.resolve("a").names()).containsExactly("a", "gawk", "libx");
    }

    @Test
    void alternativeInstalledIsUsedAndNotInstalledAgain() throws ResolutionException {
        archive.add("foo", "1", "Depends: mawk | gawk (>= 5)").add("mawk", "1").add("gawk", "5.2");

        Resolution resolution = archive.resolve(withInstalled(Map.of("gawk", "5.2.1-2"), "foo"));

        assertThat(resolution.names()).containsExactly("foo");
    }

    @Test
    void installedPackagesMeetDependenciesAndAreNeverReinstalled() throws ResolutionException {
        archive.add("foo", "1", "Depends: libc6 (>= 2.34), bash")
                .add("libc6", "2.36-9")
                .add("bash", "5.2");

        Resolution resolution = archive.resolve(withInstalled(Map.of("libc6", "2.36-9", "bash", "5.2"), "foo", "bash"));

        assertThat(resolution.names()).containsExactly("foo");
    }

    @Test
    void installedVersionTooOldIsNotReplaced() {
        archive.add("foo", "1.0", "Depends: libbar (>= 2.0)").add("libbar", "2.1");

        assertThatThrownBy(() -> archive.resolve(withInstalled(Map.of("libbar", "1.0"), "foo")))
                .hasMessage("cannot install 'foo': foo 1.0 → Depends: libbar (>= 2.0) → libbar 1.0 (installed in the"
                        + " base image) is too old. Remove foo from <packages>, or use a base image that has libbar"
                        + " (>= 2.0)");
    }

    @Test
    void pinThatDisagreesWithTheInstalledVersionIsRefused() {
        archive.add("curl", "2");

        assertThatThrownBy(() -> archive.resolve(withInstalled(Map.of("curl", "1"), "curl=2")))
                .hasMessage("<packages> pins 'curl=2' but the base image has curl 1 installed, and installed packages"
                        + " are never replaced. Pin curl=1 or write just curl");
    }

    @Test
    void virtualPackageWithOneProviderIsMetByIt() throws ResolutionException {
        archive.add("foo", "1", "Depends: awk").add("mawk", "1.3.4", "Provides: awk");

        Resolution resolution = archive.resolve("foo");

        assertThat(resolution.names()).containsExactly("foo", "mawk");
        assertThat(resolution.chain("mawk")).hasToString("<packages> asks for foo: foo 1 → Depends: awk");
    }

    @Test
    void severalProvidersTakeTheFirstByNameWhateverTheIndexOrder() throws ResolutionException {
        archive.add("foo", "1", "Depends: mail-transport-agent")
                .add("postfix", "3.7", "Provides: mail-transport-agent")
                .add("exim4-daemon-light", "4.96", "Provides: mail-transport-agent")
                .add("msmtp-mta", "1.8", "Provides: mail-transport-agent");

        assertThat(archive.resolve("foo").names()).containsExactly("exim4-daemon-light", "foo");
    }

    @Test
    void severalProvidersPreferOneAlreadySelected() throws ResolutionException {
        archive.add("foo", "1", "Depends: mail-transport-agent")
                .add("postfix", "3.7", "Provides: mail-transport-agent")
                .add("exim4-daemon-light", "4.96", "Provides: mail-transport-agent");

        assertThat(archive.resolve("foo", "postfix").names()).containsExactly("foo", "postfix");
    }

    @Test
    void excludedProviderIsPassedOver() throws ResolutionException {
        archive.add("foo", "1", "Depends: mail-transport-agent")
                .add("postfix", "3.7", "Provides: mail-transport-agent")
                .add("exim4-daemon-light", "4.96", "Provides: mail-transport-agent");

        assertThat(archive.resolve(excluding(List.of("exim4-daemon-light"), "foo"))
                        .names())
                .containsExactly("foo", "postfix");
    }

    @Test
    void versionedDependencyIsMetOnlyByAVersionedProvideThatFits() throws ResolutionException {
        archive.add("foo", "1", "Depends: libapt-pkg (>= 2.6)")
                .add("apt-old", "1", "Provides: libapt-pkg (= 2.5)")
                .add("apt-unversioned", "1", "Provides: libapt-pkg")
                .add("apt-new", "1", "Provides: libapt-pkg (= 2.6.1)");

        assertThat(archive.resolve("foo").names()).containsExactly("apt-new", "foo");
    }

    @Test
    void unusableProvidersAreEachExplained() {
        archive.add("foo", "1", "Depends: libapt-pkg (>= 2.6)")
                .add("apt-old", "1", "Provides: libapt-pkg (= 2.5)")
                .add("apt-unversioned", "1", "Provides: libapt-pkg");

        assertThatThrownBy(() -> archive.resolve("foo"))
                .hasMessage("cannot install 'foo': foo 1 → Depends: libapt-pkg (>= 2.6) → apt-old 1 (bookworm) provides"
                        + " libapt-pkg 2.5, too old; apt-unversioned 1 (bookworm) provides libapt-pkg without a"
                        + " version. Remove foo from <packages>, pin another version, or add a suite that has"
                        + " libapt-pkg (>= 2.6)");
    }

    @Test
    void tooOldRealPackageGivesWayToAProviderThatFits() throws ResolutionException {
        archive.add("foo", "1", "Depends: libbar (>= 2)")
                .add("libbar", "1")
                .add("libbar-ng", "3", "Provides: libbar (= 2.5)");

        assertThat(archive.resolve("foo").names()).containsExactly("foo", "libbar-ng");
    }

    @Test
    void providesOfTheVersionThatIsInstalledCountOnlyForThatVersion() throws ResolutionException {
        archive.add("foo", "1", "Depends: awk")
                .add("mawk", "1.3.4", "Provides: awk")
                .addTo("bookworm-security", "mawk", "1.3.5", "Provides: awk");

        assertThat(archive.resolve(withInstalled(Map.of("mawk", "1.3.4"), "foo"))
                        .names())
                .containsExactly("foo");
    }

    @Test
    void virtualRequestIsMetByAProvider() throws ResolutionException {
        archive.add("mawk", "1.3.4", "Provides: awk").add("gawk", "5.2", "Provides: awk");

        Resolution resolution = archive.resolve("awk");

        assertThat(resolution.names()).containsExactly("gawk");
        assertThat(resolution.chain("gawk")).hasToString("<packages> asks for awk");
    }

    @Test
    void otherArchitectureQualifierCannotBeMetButAnyCan() throws ResolutionException {
        archive.add("foo", "1", "Depends: gcc:arm64 | gcc:any, python3:any")
                .add("gcc", "12")
                .add("python3", "3.11");

        assertThat(archive.resolve("foo").names()).containsExactly("foo", "gcc", "python3");
    }

    @Test
    void relationsRestrictedToOtherArchitecturesAreSkipped() throws ResolutionException {
        archive.add("foo", "1", "Depends: libi386-only [i386], libamd64 [amd64]")
                .add("libamd64", "1");

        assertThat(archive.resolve("foo").names()).containsExactly("foo", "libamd64");
    }

    @Test
    void includeRequiredAddsEssentialAndRequiredButNotImportantOrExcluded() throws ResolutionException {
        archive.add("bash", "5.2", "Essential: yes", "Depends: base-files")
                .add("base-files", "12.4")
                .add("mawk", "1.3.4", "Priority: required")
                .add("e2fsprogs", "1.47", "Priority: required")
                .add("apt", "2.6", "Priority: important")
                .add("curl", "7.88");

        Resolution resolution = archive.resolve(
                new ResolutionRequest(List.of("curl"), List.of("e2fsprogs"), Map.of("mawk", "1.3.4"), true));

        assertThat(resolution.names()).containsExactly("base-files", "bash", "curl");
        assertThat(resolution.chain("bash"))
                .hasToString("<includeRequired> adds bash (Essential or Priority: required)");
    }

    @Test
    void failureUnderARequiredPackageSaysToExcludeIt() {
        archive.add("login", "1", "Priority: required", "Depends: libpam (>= 2)");

        assertThatThrownBy(() -> archive.resolve(new ResolutionRequest(List.of(), List.of(), Map.of(), true)))
                .hasMessage("cannot install 'login': login 1 → Depends: libpam (>= 2) → no package 'libpam' in "
                        + EVERYWHERE + ". Add login to <excludes>, pin another version, or add a suite that has"
                        + " libpam (>= 2)");
    }

    @Test
    void conflictsInsideTheClosureNameBothAndTheirChains() {
        archive.add("a", "1", "Conflicts: b").add("x", "1", "Depends: b").add("b", "2");

        assertThatThrownBy(() -> archive.resolve("a", "x"))
                .hasMessage("'a' and 'b' cannot be installed together: a 1 (bookworm) → Conflicts: b matches b 2"
                        + " (bookworm). a is there because <packages> asks for a; b is there because <packages> asks"
                        + " for x: x 1 → Depends: b. Drop one of them: remove what asks for it from <packages>, or add"
                        + " it to <excludes> so that an alternative is chosen");
    }

    @Test
    void breaksOfAnInstalledPackageCountToo() {
        archive.add("libfoo", "2", "Breaks: app (<< 2)").add("app", "1");

        assertThatThrownBy(() -> archive.resolve(withInstalled(Map.of("app", "1"), "libfoo")))
                .hasMessage("'libfoo' and 'app' cannot be installed together: libfoo 2 (bookworm) → Breaks: app (<< 2)"
                        + " matches app 1 (installed in the base image). libfoo is there because <packages> asks for"
                        + " libfoo; app is installed in the base image. Drop one of them: remove what asks for it from"
                        + " <packages>, or add it to <excludes> so that an alternative is chosen");
    }

    @Test
    void installedPackageThatBreaksASelectedOneIsFound() {
        archive.add("app", "1", "Breaks: libfoo (>= 2)").add("libfoo", "2");

        assertThatThrownBy(() -> archive.resolve(withInstalled(Map.of("app", "1"), "libfoo")))
                .hasMessageStartingWith("'app' and 'libfoo' cannot be installed together: app 1 (installed in the base"
                        + " image) → Breaks: libfoo (>= 2) matches libfoo 2 (bookworm). app is installed in the base"
                        + " image; libfoo is there because <packages> asks for libfoo.");
    }

    @Test
    void conflictWithAVirtualNameMatchesOtherProvidersButNotItself() throws ResolutionException {
        archive.add("postfix", "3.7", "Provides: mail-transport-agent", "Conflicts: mail-transport-agent")
                .add("exim4", "4.96", "Provides: mail-transport-agent")
                .add("mailutils", "1");

        assertThat(archive.resolve("postfix", "mailutils").names()).containsExactly("mailutils", "postfix");
        assertThatThrownBy(() -> archive.resolve("postfix", "exim4"))
                .hasMessageStartingWith("'postfix' and 'exim4' cannot be installed together: postfix 3.7 (bookworm) →"
                        + " Conflicts: mail-transport-agent matches exim4 4.96 (bookworm)");
    }

    @Test
    void versionedConflictOutsideItsRangeIsNoClash() throws ResolutionException {
        archive.add("a", "1", "Conflicts: b (<< 2), c (<< 1)").add("b", "2").add("c", "1", "Provides: b (= 1)");

        assertThatThrownBy(() -> archive.resolve("a", "b", "c")).hasMessageContaining("matches c 1 (bookworm)");
        assertThat(archive.resolve("a", "b").names()).containsExactly("a", "b");
    }

    @Test
    void everyProblemIsReportedNumbered() {
        archive.add("foo", "1", "Depends: gone")
                .add("bar", "1", "Depends: old (>= 2)")
                .add("old", "1");

        assertThatThrownBy(() -> archive.resolve("nosuch", "foo", "bar"))
                .isInstanceOfSatisfying(
                        ResolutionException.class, e -> assertThat(e.problems()).hasSize(3))
                .hasMessageStartingWith(
                        "The Debian packages cannot be resolved (3 problems):\n  1. no package 'nosuch' in")
                .hasMessageContaining("\n  2. cannot install 'foo': foo 1 → Depends: gone → no package 'gone'")
                .hasMessageContaining(
                        "\n  3. cannot install 'bar': bar 1 → Depends: old (>= 2) → old 1 (bookworm) is" + " too old");
    }

    @Test
    void sameInputsInAnyOrderGiveTheSameClosureAndChains() throws ResolutionException {
        archive.add("app", "1", "Depends: mail-transport-agent, awk | gawk, libc6")
                .add("postfix", "3.7", "Provides: mail-transport-agent", "Depends: libc6")
                .add("exim4", "4.96", "Provides: mail-transport-agent", "Depends: libc6")
                .add("mawk", "1", "Provides: awk")
                .add("gawk", "5", "Provides: awk")
                .add("libc6", "2.36")
                .add("libc6", "2.35")
                .addTo("bookworm-security", "libc6", "2.36-9+deb12u1");
        Resolution first = archive.resolve("app");

        List<PackageStanza> shuffled = new ArrayList<>(archive.stanzas());
        Collections.shuffle(shuffled, new Random(42));
        Resolution second = Resolver.of(TestArchive.SUITES, "amd64", shuffled).resolve(request("app"));

        assertThat(second.packages()).isEqualTo(first.packages());
        assertThat(second.chains()).isEqualTo(first.chains());
        assertThat(first.names()).containsExactly("app", "exim4", "gawk", "libc6");
    }

    @Test
    void damagedIndexIsRefusedNamingThePackageAndSuite() {
        archive.add("foo", "one");

        assertThatThrownBy(archive::resolver)
                .isInstanceOf(ResolutionException.class)
                .hasMessageStartingWith(
                        "bookworm Packages index from http://deb.debian.org/debian/: package 'foo' has a"
                                + " Version dpkg would refuse: 'one' is not a Debian version");
    }
}
