// Starts a throwaway registry (distribution 2.8, /usr/bin/docker-registry) on 127.0.0.1:5055 with
// htpasswd auth and filesystem storage under target/registry, and waits until it answers.
//
// The committed htpasswd holds a bcrypt hash of the test-only password "it-password" for "it-user"
// (src/it/settings.xml has them as server 127.0.0.1:5055). Distribution accepts htpasswd auth
// over plain HTTP, so no TLS certificate is needed; the plugin's <allowInsecureRegistries> lets
// Jib send the credentials over HTTP.
//
// The registry's PID goes to target/registry/registry.pid and, as a Process, into the hook context.
// verify.groovy stops it (the invoker runs it even when this script or the build failed); a JVM
// shutdown hook stops it should the invoking Maven end before that. A registry left over from an
// earlier run that was killed outright is stopped first: it is found through its PID file (kept
// only when the invoker clones without cloneClean) and through its command line, which names this
// IT's config file. Any other process on the port fails the IT instead of being killed.
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

String binary = '/usr/bin/docker-registry'
int port = 5055
File registryDir = new File(basedir, 'target/registry')
File configFile = new File(registryDir, 'config.yml')
File pidFile = new File(registryDir, 'registry.pid')
File logFile = new File(registryDir, 'registry.log')
File htpasswd = new File(basedir, 'htpasswd')

boolean isRegistryServing(ProcessHandle handle, File config) {
    def info = handle.info()
    return info.command().orElse('').endsWith('docker-registry') &&
            (info.arguments().orElse(new String[0]) as List).contains(config.absolutePath)
}

void stop(ProcessHandle handle) {
    handle.destroy()
    try {
        handle.onExit().get(10, TimeUnit.SECONDS)
    } catch (TimeoutException e) {
        handle.destroyForcibly()
        handle.onExit().get(10, TimeUnit.SECONDS)
    }
}

boolean listening(int port) {
    try {
        new Socket().withCloseable { it.connect(new InetSocketAddress('127.0.0.1', port), 500) }
        return true
    } catch (IOException e) {
        return false
    }
}

// A registry from an earlier run of this IT that was killed before verify.groovy could stop it.
Set<ProcessHandle> stale = new LinkedHashSet<>()
if (pidFile.isFile()) {
    ProcessHandle.of(pidFile.text.trim() as long).filter { isRegistryServing(it, configFile) }.ifPresent { stale << it }
}
ProcessHandle.allProcesses().filter { isRegistryServing(it, configFile) }.forEach { stale << it }
stale.each { handle ->
    println "Stopping registry left over from an earlier run: PID ${handle.pid()}"
    stop(handle)
}
pidFile.delete()

if (listening(port)) {
    throw new IllegalStateException("Port ${port} on 127.0.0.1 is taken by a process this IT did not start;"
            + " registry-target needs it. Find it with `ss -ltnp 'sport = :${port}'` and stop it.")
}
assert new File(binary).canExecute() : "${binary} is missing; install it with `apt-get install docker-registry`"
assert htpasswd.isFile() : "${htpasswd} is missing"

registryDir.mkdirs()
String quoted(File file) { "'" + file.absolutePath.replace("'", "''") + "'" }
configFile.text = """\
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: ${quoted(new File(registryDir, 'data'))}
http:
  addr: 127.0.0.1:${port}
  secret: molecule-it-test-registry
auth:
  htpasswd:
    realm: molecule-it
    path: ${quoted(htpasswd)}
"""

Process registry = new ProcessBuilder(binary, 'serve', configFile.absolutePath)
        .directory(registryDir)
        .redirectErrorStream(true)
        .redirectOutput(logFile)
        .start()
pidFile.text = registry.pid() as String
context.put('registry', registry)
Runtime.runtime.addShutdownHook(new Thread({ registry.destroy() } as Runnable, 'stop-it-registry'))
println "Started ${binary} on 127.0.0.1:${port}, PID ${registry.pid()}, log ${logFile}"

// Ready when /v2/ asks for credentials: that is this registry, with auth on.
long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
while (true) {
    if (!registry.alive) {
        throw new IllegalStateException("the registry exited with ${registry.exitValue()}:\n${logFile.text}")
    }
    try {
        HttpURLConnection connection = new URL("http://127.0.0.1:${port}/v2/").openConnection() as HttpURLConnection
        connection.connectTimeout = 1000
        connection.readTimeout = 2000
        int status = connection.responseCode
        String challenge = connection.getHeaderField('WWW-Authenticate')
        connection.disconnect()
        if (status == 401 && challenge == 'Basic realm="molecule-it"') {
            break
        }
        throw new IllegalStateException("the registry answered GET /v2/ with ${status} (${challenge}), not 401 Basic")
    } catch (IOException e) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the registry did not answer on 127.0.0.1:${port} within 30 s:\n${logFile.text}", e)
        }
        Thread.sleep(200)
    }
}
return true
