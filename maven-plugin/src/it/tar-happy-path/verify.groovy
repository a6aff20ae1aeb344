// Checks the docker-save tar the tar target wrote: the build report, manifest.json, the image
// config and, inside the layer tars, the modes, owners and contents the POM asked for.
import groovy.json.JsonSlurper
import java.security.MessageDigest

File target = new File(basedir, 'target')
File tarFile = new File(target, 'molecule/image.tar')
File reportFile = new File(target, 'molecule/build-report.json')

/** Runs a command, returns its stdout; fails on a non-zero exit with its stderr. */
String run(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command)
    builder.environment().put('TZ', 'UTC')
    Process process = builder.start()
    def out = new ByteArrayOutputStream()
    def err = new ByteArrayOutputStream()
    process.waitForProcessOutput(out, err) // returns once both streams are drained and the process ended
    int exit = process.exitValue()
    if (exit != 0) {
        throw new AssertionError("`${command.join(' ')}` exited with ${exit}: ${err.toString('UTF-8')}")
    }
    return out.toString('UTF-8')
}

String sha256(File file) {
    MessageDigest sha = MessageDigest.getInstance('SHA-256')
    file.withInputStream { input ->
        byte[] buffer = new byte[65536]
        for (int n; (n = input.read(buffer)) > 0;) {
            sha.update(buffer, 0, n)
        }
    }
    return 'sha256:' + sha.digest().encodeHex().toString()
}

/** `tar -tv` of a layer as path → [mode, owner], e.g. 'etc/sudoers.d/agent' → ['-r--r-----', '0/0']. */
Map<String, List<String>> listing(File layerTar) {
    Map<String, List<String>> entries = new TreeMap<>()
    run(['tar', '--numeric-owner', '-tvf', layerTar.path]).readLines().findAll { it.trim() }.each { line ->
        String[] fields = line.trim().split(/\s+/, 6)
        assert fields.length == 6 : "unexpected tar -tv line in ${layerTar}: ${line}"
        assert fields[3] == '2026-01-01' && fields[4] == '00:00' :
                "${fields[5]} in ${layerTar} has mtime ${fields[3]} ${fields[4]}, not project.build.outputTimestamp: ${line}"
        entries[fields[5]] = [fields[0], fields[1]]
    }
    return entries
}

// --- the SBOMs, written beside the report and deployed as the project's artifacts ---
File deployed = new File(basedir, 'target/deployed/ai/molecule/it/tar-happy-path/1.0')
['cdx': 'cyclonedx', 'spdx': 'spdx'].each { format, classifier ->
    File written = new File(target, "molecule/sbom.${format}.json")
    File artifact = new File(deployed, "tar-happy-path-1.0-${classifier}.json")
    assert written.isFile() : "no ${written}"
    assert artifact.isFile() : "deploy did not publish ${artifact.name}; ${deployed} has ${deployed.list()}"
    assert artifact.bytes == written.bytes
}
def cyclonedx = new JsonSlurper().parse(new File(target, 'molecule/sbom.cdx.json'))
assert cyclonedx.specVersion == '1.6'
assert cyclonedx.metadata.component.name == 'molecule-it/tar-happy-path:1'
def spdx = new JsonSlurper().parse(new File(target, 'molecule/sbom.spdx.json'))
assert spdx.spdxVersion == 'SPDX-2.3'
// The plugin's own version, read from its jar.
assert spdx.creationInfo.creators[0] ==~ /Tool: molecule-maven-plugin-[0-9].*/

// --- the build report ---
assert tarFile.isFile() && tarFile.length() > 0 : "the tar target wrote no ${tarFile}"
assert reportFile.isFile() : "no build report at ${reportFile}"
def report = new JsonSlurper().parse(reportFile)
assert report.image == 'molecule-it/tar-happy-path:1'
assert report.target == 'tar'
assert new File(report.output as String).canonicalFile == tarFile.canonicalFile : "report.output is ${report.output}"
assert report.base == 'scratch'
assert report.created == '2026-01-01T00:00:00Z'
assert report.manifestDigest == null : 'a tar build must not report a manifest digest'
assert report.buildArgs == [runtimeVersion: '21']
assert report.imageId ==~ /sha256:[0-9a-f]{64}/
assert report.totalMillis instanceof Number && report.totalMillis >= 0
assert report.layers*.name == ['image-files', 'files-1-extra'] : "layers: ${report.layers*.name}"
report.layers.each { layer ->
    assert layer.source == 'build' : "layer ${layer.name} has source ${layer.source}"
    assert layer.cache == 'miss' : "layer ${layer.name} came from the cache (${layer.cache}) though the cache dir was new"
    assert layer.key ==~ /\S+/ : "layer ${layer.name} has no cache key"
    assert layer.diffId ==~ /sha256:[0-9a-f]{64}/
    assert layer.size > 0
}
assert new File(target, 'cache').isDirectory() : '<cacheDirectory> ${project.build.directory}/cache was not used'
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('Wrote ' + tarFile.path) || log.contains('Wrote ' + tarFile.canonicalPath) : 'build.log lacks the "Wrote <tar>" line'

// --- manifest.json and the config inside the tar ---
File extracted = new File(target, 'extracted')
extracted.mkdirs()
run(['tar', '--no-same-owner', '-xf', tarFile.path, '-C', extracted.path])
def manifest = new JsonSlurper().parse(new File(extracted, 'manifest.json'))
assert manifest instanceof List && manifest.size() == 1 : "manifest.json: ${manifest}"
def image = manifest[0]
String imageHex = report.imageId.substring('sha256:'.length())
assert image.RepoTags == ['molecule-it/tar-happy-path:1']
assert image.Config == imageHex + '.json' : "manifest Config ${image.Config} is not the report's imageId ${report.imageId}"
assert image.Layers == report.layers.collect { it.diffId.substring('sha256:'.length()) + '/layer.tar' }

File configFile = new File(extracted, image.Config as String)
assert sha256(configFile) == report.imageId : 'the config file does not hash to the imageId'
def config = new JsonSlurper().parse(configFile)
assert config.created == '2026-01-01T00:00:00Z'
assert config.architecture == 'amd64' && config.os == 'linux'
assert config.rootfs.type == 'layers'
assert config.rootfs.diff_ids == report.layers*.diffId
assert config.history*.created_by == ['molecule-maven-plugin: image-files', 'molecule-maven-plugin: files-1-extra']
def runtime = config.config
assert runtime.User == '1000'
assert runtime.WorkingDir == '/home/agent'
assert runtime.Entrypoint == ['/usr/local/bin/hello.sh']
assert runtime.Cmd == ['--greet']
assert runtime.Env == ['AGENT_HOME=/home/agent', 'RUNTIME_VERSION=21']
assert runtime.ExposedPorts.keySet() as List == ['8000/tcp', '9000/udp']
assert runtime.Volumes.keySet() as List == ['/home/agent/work']
assert runtime.Labels == ['ai.molecule.build-arg.runtimeVersion': '21', 'org.opencontainers.image.title': 'tar-happy-path']

report.layers.eachWithIndex { layer, i ->
    File layerTar = new File(extracted, image.Layers[i] as String)
    assert layerTar.isFile() : "the tar lacks ${image.Layers[i]}"
    assert sha256(layerTar) == layer.diffId : "${image.Layers[i]} does not hash to its diffId ${layer.diffId}"
    assert layerTar.length() == layer.size
}

// --- modes and owners in the layers ---
File imageLayer = new File(extracted, image.Layers[0] as String)
def files = listing(imageLayer)
assert files == [
    'etc/'                    : ['drwxr-xr-x', '0/0'],
    'etc/molecule/'           : ['drwxr-xr-x', '0/0'],
    'etc/molecule/app.conf'   : ['-rw-r--r--', '0/0'],
    'etc/sudoers.d/'          : ['drwxr-xr-x', '0/0'],
    'etc/sudoers.d/agent'     : ['-r--r-----', '0/0'],
    'home/'                   : ['drwxr-xr-x', '0/0'],
    'home/agent/'             : ['drwxr-xr-x', '1000/1000'],
    'home/agent/.bashrc'      : ['-rw-r--r--', '1000/1000'],
    'usr/'                    : ['drwxr-xr-x', '0/0'],
    'usr/local/'              : ['drwxr-xr-x', '0/0'],
    'usr/local/bin/'          : ['drwxr-xr-x', '0/0'],
    'usr/local/bin/hello.sh'  : ['-rwxr-xr-x', '0/0'],
    'usr/local/bin/su-helper' : ['-rwsr-xr-x', '0/0'],
] : "image-files layer:\n${files.collect { k, v -> v.join(' ') + ' ' + k }.join('\n')}"
assert run(['tar', '-xOf', imageLayer.path, 'usr/local/bin/hello.sh']) ==
        new File(basedir, 'src/main/image/usr/local/bin/hello.sh').getText('UTF-8')

def extra = listing(new File(extracted, image.Layers[1] as String))
assert extra == [
    'opt/runtime/lib/'           : ['drwxr-xr-x', '0/0'],
    'opt/runtime/lib/runtime.txt': ['-rw-r--r--', '0/0'],
] : "files-1-extra layer:\n${extra.collect { k, v -> v.join(' ') + ' ' + k }.join('\n')}"

return true
