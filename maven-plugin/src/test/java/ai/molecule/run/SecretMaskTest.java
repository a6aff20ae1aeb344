package ai.molecule.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretMaskTest {

    @Test
    void everySecretIsMaskedLongestFirst() {
        SecretMask mask = new SecretMask(Arrays.asList("tok-abc", "tok-abcdef", null, "1"));
        assertThat(mask.apply("token=tok-abcdef other=tok-abc level=1")).isEqualTo("token=**** other=**** level=1");
    }

    @Test
    void shortValuesAreLeftAlone() {
        assertThat(new SecretMask(Arrays.asList("on", "abc")).apply("on abc")).isEqualTo("on abc");
    }
}
