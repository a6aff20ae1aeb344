package ai.molecule.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostToolTest {

    @Test
    void aFileOfTheSameNameAndContentIsJudgedOnceAndNamedWhereItIsNow(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        Path checker = dir.resolve("checker");
        Files.writeString(checker, "#!/bin/sh\necho run >> '" + runs + "'\necho \"$2: line 1: bad ($1)\"\nexit 2\n");
        Files.setPosixFilePermissions(checker, PosixFilePermissions.fromString("rwxr-xr-x"));
        HostTool tool = new HostTool(checker);
        Path first = Files.createDirectories(dir.resolve("a")).resolve("hook.sh");
        Path second = Files.createDirectories(dir.resolve("b")).resolve("hook.sh");
        Files.writeString(first, "if\n");
        Files.writeString(second, "if\n");

        HostTool.Result judged = tool.check(first, "-n");
        HostTool.Result remembered = tool.check(second, "-n");
        Files.writeString(second, "fi\n");
        HostTool.Result changed = tool.check(second, "-n");
        HostTool.Result otherOption = tool.check(first, "-x");

        assertThat(judged).isEqualTo(new HostTool.Result(2, first + ": line 1: bad (-n)\n"));
        assertThat(remembered).isEqualTo(new HostTool.Result(2, second + ": line 1: bad (-n)\n"));
        assertThat(changed.output()).isEqualTo(second + ": line 1: bad (-n)\n");
        assertThat(otherOption.output()).isEqualTo(first + ": line 1: bad (-x)\n");
        assertThat(Files.readAllLines(runs)).hasSize(3);
    }
}
