// Removes an image left under this IT's name by an earlier run, so the build has to load it.
Process process = new ProcessBuilder('docker', 'image', 'rm', '--force', 'molecule-it/docker-target:1')
        .redirectErrorStream(true)
        .start()
String output = process.inputStream.getText('UTF-8')
int exit = process.waitFor()
// Exit 1 with "No such image" is the normal case; anything else means the engine is not usable.
if (exit != 0 && !output.contains('No such image')) {
    throw new IllegalStateException("`docker image rm --force molecule-it/docker-target:1` failed (${exit}): ${output}")
}
return true
