// A lock (here still in format 1, which a build reads) resolved for other <packages> must stop the
// build before anything is downloaded or written.
String log = new File(basedir, 'build.log').getText('UTF-8')
String lock = new File(basedir, 'molecule.lock').canonicalPath
assert log.contains("${lock} was locked for other Debian inputs than the POM now declares (<packages> added [git], removed [])") :
        "build.log lacks the lock mismatch message:\n${log}"
assert log.contains('Run `mvn molecule:lock` to re-lock them, review the diff and commit it')
assert !new File(basedir, 'target/molecule/image.tar').exists() : 'a failed build left an image tar'
assert !new File(basedir, 'target/cache/blobs/sha256').list()?.any() : 'the failed build downloaded something'
return true
