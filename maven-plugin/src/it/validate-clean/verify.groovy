// Every rule ran over the clean template and passed.
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('BUILD SUCCESS') : "validate failed on a clean template:\n${log}"
['sudoers', 'shell scripts', 'config files', 'secrets', 'platform mounts', 'contract paths'].each { rule ->
    assert log =~ /Rule ${rule} +\d+ files checked, ok/ : "no passing summary for ${rule}:\n${log}"
}
assert log =~ /Rule sudoers +1 files checked, ok/
assert log =~ /Rule config files +3 files checked, ok/
return true
