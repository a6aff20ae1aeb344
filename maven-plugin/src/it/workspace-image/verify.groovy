import groovy.json.JsonSlurper

// The workspace brings its Debian packages; the workspace layer sits between the Debian layers and
// the template's files, the template's molecule-askpass wins over the standard one, the agent
// account exists, and the entrypoint and cmd default to the standard ones.
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('BUILD SUCCESS') : "the build failed:\n${log}"
def report = new JsonSlurper().parse(new File(basedir, 'target/molecule/build-report.json'))
def layerNames = report.layers*.name
assert layerNames.takeRight(3) == ['debian-system', 'workspace', 'image-files'] : "layers: ${layerNames}"
assert layerNames.take(2) == ['debian-containerd', 'debian-docker.io'] : "layers: ${layerNames}"
// The workspace added its packages, less bash, which the template names itself, and the lock says so.
def inputs = new JsonSlurper().parse(new File(basedir, 'molecule.lock')).debian.inputs
assert inputs.addedByWorkspace == ['ca-certificates', 'curl', 'docker.io', 'git', 'gosu', 'passwd', 'rsync', 'sudo',
        'util-linux'] : "addedByWorkspace: ${inputs.addedByWorkspace}"
assert inputs.packages.contains('bash') && inputs.packages.contains('gosu')
assert log.contains('Of those, <workspace> added gosu sudo git curl ca-certificates rsync util-linux passwd docker.io')

def docker = { List<String> args ->
    def process = (['docker'] + args).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    // Waits for the process and for both streams to be drained (consumeProcessOutput + waitFor can
    // return before the reader threads have seen the output).
    process.waitForProcessOutput(out, err)
    assert process.exitValue() == 0 : "docker ${args} failed: ${err}"
    out.toString()
}
String image = 'molecule-it/workspace-image:1'
try {
    assert docker(['inspect', '--format', '{{json .Config.Entrypoint}} {{json .Config.Cmd}}', image]).trim() ==
            '["/usr/local/bin/molecule-entrypoint"] ["molecule-runtime"]'
    assert docker(['run', '--rm', '--entrypoint', '/usr/local/bin/molecule-askpass', image, 'Username: ']) ==
            'template-askpass\n'
    assert docker(['run', '--rm', '--entrypoint', 'id', image, 'agent']) ==
            'uid=1000(agent) gid=1000(agent) groups=1000(agent),999(docker)\n'
    assert docker(['run', '--rm', '--entrypoint', 'stat', image, '-c', '%a %u', '/etc/sudoers.d/molecule-agent',
            '/usr/local/lib/molecule/agent-start']) == '440 0\n755 0\n'
} finally {
    ['docker', 'rmi', '-f', image].execute().waitFor()
}
return true
