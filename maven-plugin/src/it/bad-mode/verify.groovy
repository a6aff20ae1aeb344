// The build must fail on <mode>0x9</mode> with the plugin's message, and leave no tar or report,
// not even the stale ones prebuild.groovy planted.
String log = new File(basedir, 'build.log').getText('UTF-8')
String message = "<permissions>: mode '0x9' for /x is not an octal file mode." +
        ' Write three or four octal digits, e.g. 0755, 0440 or 4755 for setuid'
assert log.contains("<permissions>: mode '0x9'") && log.contains('is not an octal file mode') :
        "build.log lacks the <permissions> mode error:\n${log}"
assert log.contains(message) : "build.log lacks the full message \"${message}\""
assert log =~ /\[ERROR\] Failed to execute goal ai\.molecule:molecule-maven-plugin:[^:]+:build-image \(image\)/
assert log.contains('BUILD FAILURE')
assert !new File(basedir, 'target/molecule/image.tar').exists() : 'a failed build left target/molecule/image.tar'
assert !new File(basedir, 'target/molecule/build-report.json').exists() : 'a failed build left a build report'
return true
