// Checks the report (layers npm then pip, the SBOM entries of both) and, in the tar, that the
// console script points at the image's Python and that npm's bin link is a symlink.
import groovy.json.JsonSlurper

File target = new File(basedir, 'target')
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('BUILD SUCCESS') : "the build failed:\n${log}"

String run(List<String> command) {
    Process process = new ProcessBuilder(command).start()
    def out = new ByteArrayOutputStream()
    def err = new ByteArrayOutputStream()
    process.waitForProcessOutput(out, err)
    if (process.exitValue() != 0) {
        throw new AssertionError("`${command.join(' ')}` exited with ${process.exitValue()}: ${err.toString('UTF-8')}")
    }
    return out.toString('UTF-8')
}

// molecule:lock pinned both ecosystems, one entry a line; the build installed exactly that.
def lock = new JsonSlurper().parse(new File(basedir, 'molecule.lock'))
assert lock.format == 2 && lock.debian == null : "lock: ${lock}"
assert lock.pip.inputs.runtimeVersion == '1.0.0' && lock.pip.inputs.findLinks == ['target/wheelhouse']
assert lock.pip.packages*.file == ['molecule_ai_workspace_runtime-1.0.0-py3-none-any.whl']
assert lock.npm.packages.find { it.path == 'node_modules/semver' }.version == '7.6.3'
assert log.contains('npm: 1 added, 0 removed, 0 changed') : "lock changes not printed:\n${log}"

def report = new JsonSlurper().parse(new File(target, 'molecule/build-report.json'))
assert report.layers*.name == ['npm', 'pip'] : "layers: ${report.layers*.name}"
assert report.layers*.cache == ['miss', 'miss']
assert report.layers.every { it.key ==~ /[0-9a-f]{64}/ }
def pypi = report.sbom.find { it.type == 'pypi' }
assert pypi.name == 'molecule-ai-workspace-runtime' && pypi.version == '1.0.0' : "pypi entry: ${pypi}"
assert pypi.sha256 == lock.pip.packages[0].sha256
def npm = report.sbom.find { it.type == 'npm' }
assert npm.name == 'semver' && npm.version == '7.6.3' && npm.integrity.startsWith('sha512-') : "npm entry: ${npm}"
assert report.sbom.size() == 2 : "sbom: ${report.sbom}"

File unpacked = new File(target, 'unpacked')
unpacked.mkdirs()
run(['tar', '-xf', new File(target, 'molecule/image.tar').path, '-C', unpacked.path])
List<String> layerFiles = new JsonSlurper().parse(new File(unpacked, 'manifest.json'))[0].Layers
assert layerFiles.size() == 2
String npmLayer = new File(unpacked, layerFiles[0]).path
String pipLayer = new File(unpacked, layerFiles[1]).path

String script = run(['tar', '-xOf', pipLayer, 'usr/local/bin/molecule-runtime'])
assert script.startsWith('#!/usr/bin/python3\n') : "console script:\n${script}"
assert run(['tar', '-tf', pipLayer]).readLines()
        .contains('usr/local/lib/python3.11/dist-packages/molecule_runtime_standin/__init__.py')

String semver = run(['tar', '-tvf', npmLayer]).readLines().find { it.contains('usr/local/bin/semver') }
assert semver != null && semver.startsWith('l') && semver.endsWith('usr/local/bin/semver -> ../lib/node_modules/semver/bin/semver.js') :
        "semver bin entry: ${semver}"
return true
