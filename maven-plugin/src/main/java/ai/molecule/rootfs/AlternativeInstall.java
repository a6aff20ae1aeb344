package ai.molecule.rootfs;

import ai.molecule.core.BuildLog;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code update-alternatives --install <link> <name> <path> <priority> [--slave <link> <name>
 * <path>]…} call found in a postinst.
 *
 * @param packageName the package whose postinst makes the call, for messages
 */
record AlternativeInstall(String link, String name, String path, int priority, List<Slave> slaves, String packageName) {

    record Slave(String link, String name, String path) {}

    AlternativeInstall {
        slaves = List.copyOf(slaves);
    }

    /**
     * Every {@code --install} call in {@code postinst}. A call with an argument the shell would have
     * to expand (a variable, a command substitution) is skipped and said in the log: guessing its
     * value could point a system command at the wrong file.
     */
    static List<AlternativeInstall> scan(String packageName, String postinst, BuildLog log) {
        List<AlternativeInstall> installs = new ArrayList<>();
        for (ShellCommands.Command call : ShellCommands.calls(postinst, "update-alternatives")) {
            List<String> args = call.texts();
            int install = args.indexOf("--install");
            if (install < 0) {
                continue;
            }
            String where = packageName + " postinst line " + call.line();
            if (call.anyExpanded()) {
                log.warn("Skipping update-alternatives call in " + where
                        + ": its arguments use shell variables or substitutions that only the script can"
                        + " expand (" + String.join(" ", args) + ")");
                continue;
            }
            if (args.size() < install + 5) {
                log.warn("Skipping update-alternatives call in " + where + ": --install needs <link> <name>"
                        + " <path> <priority> (" + String.join(" ", args) + ")");
                continue;
            }
            int priority;
            try {
                priority = Integer.parseInt(args.get(install + 4));
            } catch (NumberFormatException e) {
                log.warn("Skipping update-alternatives call in " + where + ": priority '" + args.get(install + 4)
                        + "' is not a number");
                continue;
            }
            List<Slave> slaves = new ArrayList<>();
            boolean valid = true;
            for (int i = install + 5; i < args.size(); ) {
                if (args.get(i).equals("--slave") && i + 3 < args.size()) {
                    slaves.add(new Slave(args.get(i + 1), args.get(i + 2), args.get(i + 3)));
                    i += 4;
                } else {
                    log.warn("Skipping update-alternatives call in " + where + ": unexpected '" + args.get(i)
                            + "' after the --install arguments");
                    valid = false;
                    break;
                }
            }
            if (valid) {
                installs.add(new AlternativeInstall(
                        args.get(install + 1),
                        args.get(install + 2),
                        args.get(install + 3),
                        priority,
                        slaves,
                        packageName));
            }
        }
        return installs;
    }
}
