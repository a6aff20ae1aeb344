import groovy.json.JsonSlurper

// The lock goal wrote molecule.lock; build-image installed exactly it as the Debian layers, listed
// it as SBOM, and the image runs as uid 1000 with passwordless sudo.
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('BUILD SUCCESS') : "the build failed:\n${log}"
File lockFile = new File(basedir, 'molecule.lock')
assert lockFile.isFile() : 'molecule:lock wrote no molecule.lock'
def lock = new JsonSlurper().parse(lockFile).debian
assert lock != null : 'molecule.lock has no debian section'
assert lock.inputs.packages == ['sudo']
def names = lock.packages*.name
assert names.containsAll(['sudo', 'bash', 'libc6', 'base-passwd', 'dash'])
def report = new JsonSlurper().parse(new File(basedir, 'target/molecule/build-report.json'))
def layerNames = report.layers*.name
// Package layers (one per large source such as perl, today pulled in by sudo's closure, then the
// rest buckets), the system layer on top of them, then the image's own files.
assert layerNames.takeRight(2) == ['debian-system', 'image-files'] : "layers: ${layerNames}"
def packageLayers = layerNames.dropRight(2)
assert packageLayers.size() in 1..9 && packageLayers.every { it ==~ /debian-[a-z0-9][a-z0-9.+-]*/ } : "layers: ${layerNames}"
assert packageLayers.any { it ==~ /debian-rest-[123]/ } : "layers: ${layerNames}"
// Components are listed layer by layer, so compare them as a sorted list.
assert report.sbom*.name.sort(false) == names.sort(false) : 'the SBOM does not list exactly the locked packages'
assert report.sbom.every { it.type == 'deb' && it.sha256 ==~ /[0-9a-f]{64}/ }

def run = { List<String> command ->
    def process = (['docker', 'run', '--rm', 'molecule-it/debian-image:1'] + command).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    // Waits for the process and for both streams to be drained (consumeProcessOutput + waitFor can
    // return before the reader threads have seen the output).
    process.waitForProcessOutput(out, err)
    assert process.exitValue() == 0 : "${command} failed: ${err}"
    out.toString()
}
try {
    assert run(['id']).startsWith('uid=1000(agent) gid=1000(agent) groups=1000(agent),999(docker)')
    assert run(['sudo', '-n', 'id', '-u']) == '0\n'
    assert run(['dpkg-query', '-W', '-f', '${Status}', 'sudo']).trim() == 'install ok installed'
} finally {
    ['docker', 'rmi', '-f', 'molecule-it/debian-image:1'].execute().waitFor()
}
return true
