// The archetype jar keeps no file modes: make the generated project's wrapper runnable again.
def wrapper = new File(new File(request.outputDirectory, request.artifactId), "mvnw")
if (!wrapper.setExecutable(true, false)) {
    throw new IllegalStateException("could not make " + wrapper + " executable; run chmod +x on it")
}
