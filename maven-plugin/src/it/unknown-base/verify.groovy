// The build must fail naming <base> and the unknown scheme, and say which bases exist.
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains("<base>: unknown base 'ftp://x'") : "build.log lacks the <base> error:\n${log}"
assert log.contains("<base>: unknown base 'ftp://x'. Use scratch, tar://<path to a docker-save tar>," +
        ' docker://<image in the local engine> or registry://<image reference>')
assert log =~ /\[ERROR\] Failed to execute goal ai\.molecule:molecule-maven-plugin:[^:]+:build-image \(image\)/
assert !new File(basedir, 'target/molecule/image.tar').exists() : 'a failed build left target/molecule/image.tar'
assert !new File(basedir, 'target/molecule/build-report.json').exists() : 'a failed build left a build report'
return true
