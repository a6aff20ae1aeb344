// -Dmolecule.build.skip=true: the goal runs, says it skips, and builds nothing; likewise
// -Dmolecule.validate.skip=true skips validate (src/main/image/broken.json would fail it).
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log =~ /--- molecule:[^:]+:build-image \(image\) @ skip ---/ : "build-image did not run at all:\n${log}"
assert log.contains('[INFO] Skipping build-image (molecule.build.skip)') : "build.log lacks the skip message:\n${log}"
assert log.contains('BUILD SUCCESS')
assert log.contains('[INFO] Skipping validate (molecule.validate.skip)') : "build.log lacks the validate skip message:\n${log}"
assert !log.contains('Rule config files') : 'a rule ran although validate was skipped'
assert !log.contains('Layer image-files') : 'a layer was built although the goal was skipped'
assert !new File(basedir, 'target/molecule/image.tar').exists() : 'a skipped build wrote target/molecule/image.tar'
assert !new File(basedir, 'target/molecule/build-report.json').exists() : 'a skipped build wrote a build report'
assert !new File(basedir, 'target/cache').exists() : 'a skipped build created the layer cache'
return true
