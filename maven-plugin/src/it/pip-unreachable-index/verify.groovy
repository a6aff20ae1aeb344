// The build must fail naming the pinned runtime (from -Druntime.version), the index with its login
// masked, and the fix; the password from settings.xml appears nowhere; no lock is written.
String log = new File(basedir, 'build.log').getText('UTF-8')
assert !log.contains('pip-it-s3cret') : "the index password reached the build log:\n${log}"
assert log.contains('pip could not resolve molecule-ai-workspace-runtime==2.0.0 from index http://***@127.0.0.1:9/simple/') :
        "build.log lacks the requirement and the masked index:\n${log}"
assert log.contains('Check that the index is reachable from the build machine') : "build.log lacks the fix:\n${log}"
assert log =~ /\[ERROR\] Failed to execute goal ai\.molecule:molecule-maven-plugin:[^:]+:lock \(default-cli\)/
assert !new File(basedir, 'molecule.lock').exists() : 'a failed lock left molecule.lock'
return true
