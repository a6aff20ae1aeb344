package ai.molecule.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelationTest {

    @Test
    void fieldIsGroupsOfAlternatives() {
        List<Alternatives> groups =
                Relation.parseField("libc6 (>= 2.34), default-mta | mail-transport-agent,\n python3:any");

        assertThat(groups).hasSize(3);
        assertThat(groups.get(1).options())
                .extracting(Relation::name)
                .containsExactly("default-mta", "mail-transport-agent");
        assertThat(groups.get(2).options().get(0).archQualifier()).isEqualTo("any");
        assertThat(groups)
                .extracting(Alternatives::toString)
                .containsExactly("libc6 (>= 2.34)", "default-mta | mail-transport-agent", "python3:any");
    }

    @Test
    void emptyFieldHasNoGroups() {
        assertThat(Relation.parseField("")).isEmpty();
        assertThat(Relation.parseField("  ")).isEmpty();
    }

    @Test
    void everyOperatorIsRead() {
        assertThat(operator("a (<< 1)")).isEqualTo(VersionConstraint.Operator.EARLIER);
        assertThat(operator("a (<= 1)")).isEqualTo(VersionConstraint.Operator.EARLIER_OR_EQUAL);
        assertThat(operator("a (= 1)")).isEqualTo(VersionConstraint.Operator.EQUAL);
        assertThat(operator("a (>= 1)")).isEqualTo(VersionConstraint.Operator.LATER_OR_EQUAL);
        assertThat(operator("a (>> 1)")).isEqualTo(VersionConstraint.Operator.LATER);
        assertThat(operator("a")).isEqualTo(VersionConstraint.Operator.ANY);
    }

    @Test
    void obsoleteLessAndGreaterMeanOrEqual() {
        assertThat(operator("a (< 1)")).isEqualTo(VersionConstraint.Operator.EARLIER_OR_EQUAL);
        assertThat(operator("a (> 1)")).isEqualTo(VersionConstraint.Operator.LATER_OR_EQUAL);
        assertThat(Relation.parse("a (< 1.0)").satisfiedBy("a", DebianVersion.parse("1.0")))
                .isTrue();
    }

    @Test
    void spacingInsideTheParenthesesIsFree() {
        Relation relation = Relation.parse("libicu72 (>=72.1~rc-1~ )");

        assertThat(relation.constraint().version()).hasToString("72.1~rc-1~");
        assertThat(relation).hasToString("libicu72 (>= 72.1~rc-1~)");
    }

    @Test
    void satisfiedByChecksNameAndVersion() {
        Relation relation = Relation.parse("libbar (>= 2.0)");

        assertThat(relation.satisfiedBy("libbar", DebianVersion.parse("2.0"))).isTrue();
        assertThat(relation.satisfiedBy("libbar", DebianVersion.parse("2.0~rc1")))
                .isFalse();
        assertThat(relation.satisfiedBy("libbaz", DebianVersion.parse("3.0"))).isFalse();
        assertThat(Relation.parse("libbar (<< 2.0)").satisfiedBy("libbar", DebianVersion.parse("1.9")))
                .isTrue();
        assertThat(Relation.parse("libbar (>> 2.0)").satisfiedBy("libbar", DebianVersion.parse("2.0")))
                .isFalse();
        assertThat(Relation.parse("libbar (= 1:2.0)").satisfiedBy("libbar", DebianVersion.parse("1:2.0")))
                .isTrue();
    }

    @Test
    void unversionedProvideMeetsOnlyUnversionedRelations() {
        assertThat(Relation.parse("awk").satisfiedBy("awk", null)).isTrue();
        assertThat(Relation.parse("awk (>= 1)").satisfiedBy("awk", null)).isFalse();
    }

    @Test
    void alternativesAreMetByAnyOption() {
        Alternatives group = Relation.parseField("a (>= 2) | b").get(0);

        assertThat(group.satisfiedBy("b", DebianVersion.parse("0.1"))).isTrue();
        assertThat(group.satisfiedBy("a", DebianVersion.parse("1"))).isFalse();
    }

    @Test
    void architectureQualifiersAnyAndNativeAllowTheTarget() {
        assertThat(Relation.parse("python3:any").allowsArchitecture("amd64")).isTrue();
        assertThat(Relation.parse("perl:native").allowsArchitecture("amd64")).isTrue();
        assertThat(Relation.parse("gcc:amd64").allowsArchitecture("amd64")).isTrue();
        assertThat(Relation.parse("gcc:arm64").allowsArchitecture("amd64")).isFalse();
        assertThat(Relation.parse("gcc").allowsArchitecture("amd64")).isTrue();
    }

    @Test
    void architectureListsRestrictWhereARelationApplies() {
        Relation positive = Relation.parse("libseccomp-dev [amd64 arm64]");
        Relation negated = Relation.parse("libfoo (>= 1) [!i386 !armel]");
        Relation wildcard = Relation.parse("libcap-dev [linux-any]");

        assertThat(positive.appliesTo("amd64", Set.of())).isTrue();
        assertThat(positive.appliesTo("i386", Set.of())).isFalse();
        assertThat(negated.appliesTo("amd64", Set.of())).isTrue();
        assertThat(negated.appliesTo("i386", Set.of())).isFalse();
        assertThat(wildcard.appliesTo("amd64", Set.of())).isTrue();
        assertThat(wildcard.appliesTo("kfreebsd-amd64", Set.of())).isFalse();
        assertThat(Relation.parse("x [any-amd64]").appliesTo("amd64", Set.of())).isTrue();
        assertThat(negated).hasToString("libfoo (>= 1) [!i386 !armel]");
    }

    @Test
    void buildProfilesEnableARelationWhenAnyGroupHolds() {
        Relation relation = Relation.parse("python3-pytest <!nocheck> <stage1 cross>");

        assertThat(relation.profiles()).containsExactly(List.of("!nocheck"), List.of("stage1", "cross"));
        assertThat(relation.appliesTo("amd64", Set.of())).isTrue();
        assertThat(relation.appliesTo("amd64", Set.of("nocheck"))).isFalse();
        assertThat(relation.appliesTo("amd64", Set.of("nocheck", "stage1", "cross")))
                .isTrue();
        assertThat(Relation.parse("foo <stage1>").appliesTo("amd64", Set.of())).isFalse();
    }

    @Test
    void providesCarriesExactVersions() {
        List<Relation> provided = Relation.parseProvides("libapt-pkg (= 2.6.1), awk");

        assertThat(provided).extracting(Relation::name).containsExactly("libapt-pkg", "awk");
        assertThat(provided.get(0).constraint().version()).hasToString("2.6.1");
        assertThat(provided.get(1).constraint()).isEqualTo(VersionConstraint.NONE);
    }

    @Test
    void providesRefusesOtherOperatorsAndAlternatives() {
        assertThatThrownBy(() -> Relation.parseProvides("foo (>= 1)"))
                .hasMessage("Provides entry 'foo (>= 1)' uses >=; only '=' may version a Provides");
        assertThatThrownBy(() -> Relation.parseProvides("foo | bar"))
                .hasMessage("Provides entry 'foo | bar' has alternatives; a package provides each name outright");
    }

    @Test
    void malformedRelationsAreRefusedWithTheShape() {
        assertThatThrownBy(() -> Relation.parseField("libc6 (>= 2.34), , perl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'' is not a Debian relation. Write name[:arch] [(op version)] [[arch ...]]"
                        + " [<profile ...>] with a lower-case name and one of << <= = >= >>, e.g. libc6 (>= 2.36)");
        assertThatThrownBy(() -> Relation.parse("libc6 (~= 2.34)")).hasMessageStartingWith("'libc6 (~= 2.34)' is not");
        assertThatThrownBy(() -> Relation.parse("LibC6")).hasMessageStartingWith("'LibC6' is not");
        assertThatThrownBy(() -> Relation.parse("libc6 (>= x)")).hasMessageStartingWith("'x' is not a Debian version");
        assertThatThrownBy(() -> Relation.parse("libc6 [amd64 !i386]"))
                .hasMessageContaining("mixes 'arch' with '!arch'");
    }

    private static VersionConstraint.Operator operator(String relation) {
        return Relation.parse(relation).constraint().operator();
    }
}
