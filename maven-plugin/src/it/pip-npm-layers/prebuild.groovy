// Zips standin/ into target/wheelhouse/molecule_ai_workspace_runtime-1.0.0-py3-none-any.whl: the
// TEST STAND-IN runtime wheel the POM's <pip> installs from a local wheelhouse (no PyPI here).
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

File standin = new File(basedir, 'standin')
String distInfo = 'molecule_ai_workspace_runtime-1.0.0.dist-info'
Map<String, byte[]> files = new LinkedHashMap<>()
files['molecule_runtime_standin/__init__.py'] = new File(standin, 'molecule_runtime_standin/__init__.py').bytes
['METADATA', 'WHEEL', 'entry_points.txt'].each { files["${distInfo}/${it}".toString()] = new File(standin, it).bytes }
String record = files.collect { name, bytes ->
    String hash = Base64.urlEncoder.withoutPadding().encodeToString(MessageDigest.getInstance('SHA-256').digest(bytes))
    "${name},sha256=${hash},${bytes.length}\n"
}.join('') + "${distInfo}/RECORD,,\n"
files["${distInfo}/RECORD".toString()] = record.getBytes('UTF-8')

File wheelhouse = new File(basedir, 'target/wheelhouse')
wheelhouse.mkdirs()
new File(wheelhouse, 'molecule_ai_workspace_runtime-1.0.0-py3-none-any.whl').withOutputStream { out ->
    new ZipOutputStream(out).withCloseable { zip ->
        files.each { name, bytes ->
            zip.putNextEntry(new ZipEntry(name))
            zip.write(bytes)
            zip.closeEntry()
        }
    }
}
return true
