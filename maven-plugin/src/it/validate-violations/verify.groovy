// All five violations, numbered, in one failure of molecule:validate; the token's value is nowhere in the log.
String log = new File(basedir, 'build.log').getText('UTF-8')
String token = 'ghp' + '_' + 'R7kq2Vx9Lm4Pz8Tn3Wb6Yc1Hd5Jf0Gs2Ae7U'
assert log.contains('BUILD FAILURE') : "the build did not fail:\n${log}"
assert log =~ /\[ERROR\] Failed to execute goal ai\.molecule:molecule-maven-plugin:[^:]+:validate \(check\)/
assert log.contains('The template breaks 5 validation rule(s) (5 problems):') : "no numbered summary:\n${log}"
List<String> expected = [
        '1. src/main/image/etc/sudoers.d/agent-t4: sudoers drop-in /etc/sudoers.d/agent-t4 is mode 0644; sudo ignores it unless it is 0440',
        '2. src/main/image/usr/local/bin/molecule-start:5: bash -n: syntax error',
        '3. src/main/image/app/config.yaml:',
        '4. src/main/image/app/agent.env:2: holds a GitHub token (ghp_****)',
        '5. src/main/image/configs/.auth_token: ships /configs/.auth_token under /configs, which the provisioner mounts over the image at start',
]
expected.each { assert log.contains(it) : "build.log lacks '${it}':\n${log}" }
assert log.contains('<permission><path>/etc/sudoers.d/agent-t4</path><mode>0440</mode><owner>0:0</owner></permission>')
assert log =~ /3\. src\/main\/image\/app\/config\.yaml:\d+: YAML does not parse \(column \d+\): while parsing a flow sequence; expected/
assert !log.contains(token) : 'build.log holds the token'
assert !log.contains('committed-by-mistake') : 'build.log holds the planted token file'
assert !log.contains(token.substring(4, 14)) : 'build.log holds part of the token'
assert log =~ /Rule sudoers +1 files checked, 1 violation/
return true
