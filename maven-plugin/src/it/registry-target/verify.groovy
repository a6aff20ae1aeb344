// Checks that the image reached the registry: the manifest under the pushed tag has the digest the
// report names. Stops the registry prebuild.groovy started, whatever the outcome.
import groovy.json.JsonSlurper
import java.security.MessageDigest
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

String registry = '127.0.0.1:5055'
String manifestUrl = "http://${registry}/v2/molecule-it/pushed/manifests/1"
String ociManifest = 'application/vnd.oci.image.manifest.v1+json'
File registryDir = new File(basedir, 'target/registry')
File pidFile = new File(registryDir, 'registry.pid')

Map get(String url, Map<String, String> headers) {
    HttpURLConnection connection = new URL(url).openConnection() as HttpURLConnection
    connection.connectTimeout = 5000
    connection.readTimeout = 10000
    headers.each { name, value -> connection.setRequestProperty(name, value) }
    int status = connection.responseCode
    InputStream body = status < 400 ? connection.inputStream : connection.errorStream
    byte[] bytes = body == null ? new byte[0] : body.bytes
    Map result = [status: status, digest: connection.getHeaderField('Docker-Content-Digest'),
                  contentType: connection.getHeaderField('Content-Type'), body: bytes]
    connection.disconnect()
    return result
}

Throwable failure = null
try {
    File reportFile = new File(basedir, 'target/molecule/build-report.json')
    assert reportFile.isFile() : "no build report at ${reportFile}"
    def report = new JsonSlurper().parse(reportFile)
    assert report.image == "${registry}/molecule-it/pushed:1".toString()
    assert report.target == 'registry'
    assert report.output == null
    assert report.manifestDigest ==~ /sha256:[0-9a-f]{64}/ : "report.manifestDigest is ${report.manifestDigest}"
    assert !new File(basedir, 'target/molecule/image.tar').exists()
    String log = new File(basedir, 'build.log').getText('UTF-8')
    assert !log.contains("No <server> with id '${registry}'") : 'the settings.xml server was not found'
    assert log.contains("Pushed ${report.image}@${report.manifestDigest}")

    String auth = 'Basic ' + 'it-user:it-password'.getBytes('UTF-8').encodeBase64().toString()
    def manifest = get(manifestUrl, [Authorization: auth, Accept: ociManifest])
    assert manifest.status == 200 : "GET ${manifestUrl} returned ${manifest.status}: ${new String(manifest.body, 'UTF-8')}"
    assert manifest.digest == report.manifestDigest :
            "the registry holds the tag as ${manifest.digest}, the report says ${report.manifestDigest}"
    assert manifest.contentType == ociManifest
    String bodyDigest = 'sha256:' + MessageDigest.getInstance('SHA-256').digest(manifest.body).encodeHex().toString()
    assert bodyDigest == report.manifestDigest : 'the manifest bytes do not hash to the reported digest'
    def json = new JsonSlurper().parse(manifest.body)
    assert json.schemaVersion == 2 && json.mediaType == ociManifest
    assert json.config.digest == report.imageId : "manifest config ${json.config.digest}, report imageId ${report.imageId}"
    assert json.layers.size() == report.layers.size()
    assert json.layers.every { it.mediaType == 'application/vnd.oci.image.layer.v1.tar+gzip' }
    // The image's own creation time, so the same inputs give the same manifest.
    assert json.annotations['org.opencontainers.image.created'] == report.created

    // The registry really demands the credentials the plugin took from settings.xml.
    def anonymous = get(manifestUrl, [Accept: ociManifest])
    assert anonymous.status == 401 : "an anonymous GET returned ${anonymous.status}; the registry is not password-protected"
} catch (Throwable t) {
    failure = t
}

// Stop the registry whatever happened above (also when the build or prebuild.groovy failed).
ProcessHandle handle = context.registry instanceof Process
        ? (context.registry as Process).toHandle()
        : pidFile.isFile()
                ? ProcessHandle.of(pidFile.text.trim() as long)
                        .filter { it.info().command().orElse('').endsWith('docker-registry') }
                        .orElse(null)
                : null
if (handle != null && handle.alive) {
    handle.destroy()
    try {
        handle.onExit().get(10, TimeUnit.SECONDS)
    } catch (TimeoutException e) {
        handle.destroyForcibly()
        handle.onExit().get(10, TimeUnit.SECONDS)
    }
}
if (failure != null) {
    throw failure
}
assert handle != null : 'prebuild.groovy recorded no registry process'
assert !handle.alive : "the registry (PID ${handle.pid()}) is still running"
pidFile.delete()
return true
