package ai.molecule.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a workspace container is started: the provisioner's {@code --privileged}, or, where the
 * engine refuses it, every capability the engine can grant plus unconfined seccomp and AppArmor.
 * Found by {@link ShapeProbe}; the conformance gate and {@code molecule:run} both start in it,
 * always with {@code --pid=host} and the host root and docker socket mounted.
 *
 * @param privileged whether {@code --privileged} ran
 * @param capAdd capabilities added in the fallback shape (empty when privileged)
 * @param capsDropped capabilities the engine cannot grant, left out of the fallback
 * @param privilegedRefusal the engine's answer to {@code --privileged} when it refused, else null
 */
public record RunShape(boolean privileged, List<String> capAdd, List<String> capsDropped, String privilegedRefusal) {
    public static final List<String> FALLBACK_SECURITY_OPTS = List.of("seccomp=unconfined", "apparmor=unconfined");

    public RunShape {
        capAdd = List.copyOf(capAdd);
        capsDropped = List.copyOf(capsDropped);
    }

    public static RunShape privilegedShape() {
        return new RunShape(true, List.of(), List.of(), null);
    }

    public static RunShape fallback(List<String> capAdd, List<String> capsDropped, String privilegedRefusal) {
        return new RunShape(false, capAdd, capsDropped, privilegedRefusal);
    }

    /** The shape as {@code docker run} options. */
    public List<String> dockerRunOptions() {
        if (privileged) {
            return List.of("--privileged");
        }
        List<String> options = new ArrayList<>();
        capAdd.forEach(cap -> options.addAll(List.of("--cap-add", cap)));
        FALLBACK_SECURITY_OPTS.forEach(opt -> options.addAll(List.of("--security-opt", opt)));
        return List.copyOf(options);
    }

    /** One line for logs and failure messages. */
    public String describe() {
        if (privileged) {
            return "--privileged";
        }
        return "fallback (engine refused --privileged: " + privilegedRefusal + "): --cap-add of " + capAdd.size()
                + " capabilities, without " + capsDropped + ", --security-opt "
                + String.join(" ", FALLBACK_SECURITY_OPTS);
    }

    /** Linux capability names by bit number (linux/capability.h), as Docker spells them. */
    public static final List<String> LINUX_CAPABILITIES = Arrays.asList(
            "CHOWN",
            "DAC_OVERRIDE",
            "DAC_READ_SEARCH",
            "FOWNER",
            "FSETID",
            "KILL",
            "SETGID",
            "SETUID",
            "SETPCAP",
            "LINUX_IMMUTABLE",
            "NET_BIND_SERVICE",
            "NET_BROADCAST",
            "NET_ADMIN",
            "NET_RAW",
            "IPC_LOCK",
            "IPC_OWNER",
            "SYS_MODULE",
            "SYS_RAWIO",
            "SYS_CHROOT",
            "SYS_PTRACE",
            "SYS_PACCT",
            "SYS_ADMIN",
            "SYS_BOOT",
            "SYS_NICE",
            "SYS_RESOURCE",
            "SYS_TIME",
            "SYS_TTY_CONFIG",
            "MKNOD",
            "LEASE",
            "AUDIT_WRITE",
            "AUDIT_CONTROL",
            "SETFCAP",
            "MAC_OVERRIDE",
            "MAC_ADMIN",
            "SYSLOG",
            "WAKE_ALARM",
            "BLOCK_SUSPEND",
            "AUDIT_READ",
            "PERFMON",
            "BPF",
            "CHECKPOINT_RESTORE");
}
