// The build must fail naming <imageDirectory> and the missing path.
String log = new File(basedir, 'build.log').getText('UTF-8')
File missing = new File(basedir, 'src/no-such-image-dir')
assert !missing.exists()
Closure<String> message = { String path ->
    "<imageDirectory>: source directory ${path} does not exist." +
            " Create it, or point <imageDirectory> at the directory that holds the image files"
}
assert log.contains(message(missing.absolutePath)) || log.contains(message(missing.canonicalPath)) :
        "build.log lacks \"${message(missing.absolutePath)}\":\n${log}"
assert log =~ /\[ERROR\] Failed to execute goal ai\.molecule:molecule-maven-plugin:[^:]+:build-image \(image\)/
assert !new File(basedir, 'target/molecule/image.tar').exists() : 'a failed build left target/molecule/image.tar'
assert !new File(basedir, 'target/molecule/build-report.json').exists() : 'a failed build left a build report'
return true
