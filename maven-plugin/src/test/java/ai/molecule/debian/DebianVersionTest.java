package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DebianVersionTest {

    /** Each row checked with {@code dpkg --compare-versions} on Debian 12. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(
            delimiter = ' ',
            value = {
                "1.0~rc1 < 1.0",
                "1:0.9 > 2.0",
                "1.2.3-1 < 1.2.3-1+deb12u1",
                "2.30-1ubuntu1 > 2.30-1",
                "1.0+dfsg-1~bpo1 < 1.0+dfsg-1",
                "0.130.0 > 0.13.0",
                "10 > 9",
                "1.0a < 1.0b",
                "1.0 < 1.0a",
                "1.0~~ < 1.0~~a",
                "1.0~~a < 1.0~",
                "1.0~ < 1.0",
                "1.0a < 1.0+",
                "1.0+ < 1.0.",
                "2:1.0 > 1:9.9",
                "1.0-10 > 1.0-9",
                "1.2~beta < 1.2~rc",
                "7.88.1-10+deb12u5 > 7.88.1-10+deb12u4",
                "1.0 < 1.0.0",
                "1.0-1 < 1.0.1",
                "1:1.0-1 > 1.0-1",
                "0:1.0 = 1.0",
                "1.01 = 1.1",
                "1.0-0 = 1.0",
                "1.0a = 1.0a0",
            })
    void ordersAsDpkgDoes(String left, String relation, String right) {
        DebianVersion a = DebianVersion.parse(left);
        DebianVersion b = DebianVersion.parse(right);

        int expected = switch (relation) {
            case "<" -> -1;
            case ">" -> 1;
            default -> 0;
        };
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(expected);
        assertThat(Integer.signum(b.compareTo(a))).isEqualTo(-expected);
    }

    @Test
    void tildeSortsBeforeEverythingEvenTheEnd() {
        List<String> parts = Stream.of("", "~", "~~a", "~~", "a")
                .sorted(DebianVersion::compareParts)
                .toList();

        assertThat(parts).containsExactly("~~", "~~a", "~", "", "a");
    }

    @Test
    void versionsDpkgCallsEqualAreEqualWithTheSameHash() {
        assertThat(DebianVersion.parse("0:1.0")).isEqualTo(DebianVersion.parse("1.0"));
        assertThat(DebianVersion.parse("0:1.0")).hasSameHashCodeAs(DebianVersion.parse("1.0"));
        assertThat(DebianVersion.parse("1.001-01")).isEqualTo(DebianVersion.parse("1.1-1"));
        assertThat(DebianVersion.parse("1.001-01")).hasSameHashCodeAs(DebianVersion.parse("1.1-1"));
        assertThat(DebianVersion.parse("1.0-0")).hasSameHashCodeAs(DebianVersion.parse("1.0"));
        assertThat(DebianVersion.parse("1.0")).isNotEqualTo(DebianVersion.parse("1.0.0"));
    }

    @Test
    void keepsTheTextAndSplitsEpochUpstreamAndRevision() {
        DebianVersion version = DebianVersion.parse("1:2.38.1-5+deb12u1");

        assertThat(version).hasToString("1:2.38.1-5+deb12u1");
        assertThat(version.epoch()).isEqualTo(1);
        assertThat(version.upstream()).isEqualTo("2.38.1");
        assertThat(version.revision()).isEqualTo("5+deb12u1");
    }

    @Test
    void revisionIsAfterTheLastHyphenAndUpstreamMayHoldHyphensAndColons() {
        DebianVersion version = DebianVersion.parse("2:1.0-rc-1:2-3");

        assertThat(version.upstream()).isEqualTo("1.0-rc-1:2");
        assertThat(version.revision()).isEqualTo("3");
    }

    @Test
    void garbageIsRefusedWithTheReasonAndTheShape() {
        assertThatThrownBy(() -> DebianVersion.parse("1.0_1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'1.0_1' is not a Debian version: the upstream part contains '_'; only letters, digits"
                        + " and '.' '+' '~' '-' ':' are allowed there. Write [epoch:]upstream[-revision],"
                        + " e.g. 1:2.38.1-5+deb12u1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1.0", "1.0 beta", "x:1.0", ":1.0", "1:", "1.0-", "1.0-1:2", "99999999999:1"})
    void malformedVersionsAreRefused(String text) {
        assertThatThrownBy(() -> DebianVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a Debian version: ");
    }

    @Test
    void eachRefusalSaysWhatIsWrong() {
        assertThat(reason("v1.0")).contains("the upstream part 'v1.0' does not start with a digit");
        assertThat(reason("x:1.0")).contains("the epoch 'x' is not a number");
        assertThat(reason("1.0-")).contains("the revision after the last '-' is empty");
        assertThat(reason("1.0 beta")).contains("it contains whitespace");
        assertThat(reason("99999999999:1")).contains("the epoch '99999999999' is too large");
    }

    private static String reason(String text) {
        try {
            DebianVersion.parse(text);
            throw new AssertionError(text + " was accepted");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
