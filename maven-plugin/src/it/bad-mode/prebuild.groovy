// Output of an earlier, successful build: a failing build must not leave it to pass for its own.
File out = new File(basedir, 'target/molecule')
out.mkdirs()
new File(out, 'image.tar').text = 'stale image'
new File(out, 'build-report.json').text = '{"stale": true}'
return true
