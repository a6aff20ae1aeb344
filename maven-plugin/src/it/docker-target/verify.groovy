// Checks that the docker target loaded the image into the engine under its name, with its label
// and the image ID the report names; then removes the image.
import groovy.json.JsonSlurper

String image = 'molecule-it/docker-target:1'

/** Runs a command; returns [exit, stdout, stderr]. */
List docker(String... args) {
    Process process = new ProcessBuilder(['docker'] + (args as List)).start()
    def out = new ByteArrayOutputStream()
    def err = new ByteArrayOutputStream()
    process.waitForProcessOutput(out, err) // returns once both streams are drained and the process ended
    int exit = process.exitValue()
    return [exit, out.toString('UTF-8'), err.toString('UTF-8')]
}

Throwable failure = null
try {
    File reportFile = new File(basedir, 'target/molecule/build-report.json')
    assert reportFile.isFile() : "no build report at ${reportFile}"
    def report = new JsonSlurper().parse(reportFile)
    assert report.image == image
    assert report.target == 'docker'
    assert report.output == null && report.manifestDigest == null
    assert report.imageId ==~ /sha256:[0-9a-f]{64}/
    assert report.layers*.name == ['image-files'] && report.layers[0].cache == 'miss'
    assert !new File(basedir, 'target/molecule/image.tar').exists() : 'the docker target must not write the tar'
    String log = new File(basedir, 'build.log').getText('UTF-8')
    assert log.contains("Loading ${image} into the engine: 1 of 1 layers") :
            'build.log does not show the image being loaded (prebuild.groovy removed any earlier one)'

    def (int exit, String stdout, String stderr) = docker('image', 'inspect', image)
    assert exit == 0 : "`docker image inspect ${image}` failed: ${stderr}"
    def inspected = new JsonSlurper().parseText(stdout)
    assert inspected.size() == 1
    def engineImage = inspected[0]
    assert engineImage.Id == report.imageId : "the engine holds ${image} as ${engineImage.Id}, the report says ${report.imageId}"
    assert engineImage.RepoTags.contains(image)
    assert engineImage.Config.Labels == ['ai.molecule.it': 'docker-target']
    assert engineImage.RootFS.Layers == report.layers*.diffId
    assert engineImage.Architecture == 'amd64' && engineImage.Os == 'linux'
} catch (Throwable t) {
    failure = t
}
// Remove the image whether or not the checks passed; a failed check is reported before a failed removal.
def (int rmExit, String rmOut, String rmErr) = docker('image', 'rm', image)
if (failure != null) {
    throw failure
}
assert rmExit == 0 : "`docker image rm ${image}` failed: ${rmErr}"
return true
