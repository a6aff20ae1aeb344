package ai.molecule.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.molecule.core.MoleculeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRequestTest {

    @Test
    void namesTakeTheirValueFromTheEnvironmentAndPairsTheirOwn() throws MoleculeException {
        assertThat(RunRequest.environment(
                        List.of("API_KEY", " LOG_LEVEL=debug ", "EMPTY=", "URL=http://x/?a=b", ""),
                        Map.of("API_KEY", "sk-from-env"),
                        "molecule.run.env"))
                .containsExactly(
                        Map.entry("API_KEY", "sk-from-env"),
                        Map.entry("LOG_LEVEL", "debug"),
                        Map.entry("EMPTY", ""),
                        Map.entry("URL", "http://x/?a=b"));
    }

    @Test
    void aNameNotInTheEnvironmentSaysHowToGiveIt() {
        assertThatThrownBy(() -> RunRequest.environment(List.of("API_KEY"), Map.of(), "molecule.run.env"))
                .isInstanceOf(MoleculeException.class)
                .hasMessage("molecule.run.env: API_KEY is not set in Maven's environment. Export it before running"
                        + " Maven, or give API_KEY=value");
    }

    @Test
    void somethingThatIsNoVariableNameIsRefused() {
        assertThatThrownBy(() -> RunRequest.environment(List.of("1BAD=x"), Map.of(), "molecule.run.env"))
                .isInstanceOf(MoleculeException.class)
                .hasMessageStartingWith("molecule.run.env: `1BAD` is not a variable name");
    }
}
