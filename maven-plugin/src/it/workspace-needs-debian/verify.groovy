// The build must fail naming <workspace>, why it needs <debian>, and the fix.
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('<workspace>: the workspace assets need the agent account and their packages, which come' +
        ' with the Debian layer, but no <debian> is declared. Declare <debian><suite>bookworm</suite></debian> (the' +
        ' workspace adds bash gosu sudo git curl ca-certificates rsync util-linux passwd docker.io itself; list only' +
        " the template's own packages), or set <workspace>false</workspace>") :
        "build.log lacks the <workspace> error:\n${log}"
assert log =~ /\[ERROR\] Failed to execute goal ai\.molecule:molecule-maven-plugin:[^:]+:build-image \(image\)/
assert !new File(basedir, 'target/molecule/image.tar').exists() : 'a failed build left target/molecule/image.tar'
return true
