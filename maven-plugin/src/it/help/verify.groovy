// `molecule:help -Ddetail` must list every goal, every build-image, run, stop and validate
// parameter with its default, and the user properties.
String log = new File(basedir, 'build.log').getText('UTF-8')
List<String> lines = log.readLines()
assert log.contains('BUILD SUCCESS') : "the help goal failed:\n${log}"
assert lines.contains('This plugin has 6 goals:') : "build.log lacks the goal count:\n${log}"
int buildImage = lines.indexOf('molecule:build-image')
int help = lines.indexOf('molecule:help')
int lock = lines.indexOf('molecule:lock')
int run = lines.indexOf('molecule:run')
int stop = lines.indexOf('molecule:stop')
int validate = lines.indexOf('molecule:validate')
assert lock > help : "build.log does not list molecule:lock:\n${log}"
assert run > lock : "build.log does not list molecule:run after molecule:lock:\n${log}"
assert stop > run : "build.log does not list molecule:stop after molecule:run:\n${log}"
assert validate > stop : "build.log does not list molecule:validate after molecule:stop:\n${log}"
assert buildImage >= 0 : "build.log does not list molecule:build-image:\n${log}"
assert help > buildImage : "build.log does not list molecule:help after molecule:build-image:\n${log}"

// A goal's section: "    name (Default: x)" headings, each followed by its description.
Map<String, String> parameterHeadings(List<String> section) {
    Map<String, String> found = [:]
    section.findAll { it ==~ /    \S.*/ }.each { line ->
        def m = line =~ /^    (\w+)(?: \(Default: (.*)\))?$/
        assert m.matches() : "unexpected parameter heading: '${line}'"
        found[m.group(1)] = m.group(2)
    }
    return found
}
List<String> section = lines.subList(buildImage, help)
Map<String, String> headings = parameterHeadings(section)
List<String> expected = ['accounts', 'allowInsecureRegistries', 'architecture', 'base', 'baseServerId',
        'buildArgs', 'caCertificates', 'cacheDirectory', 'cacheRepository', 'cacheServerId', 'cmd', 'debian', 'entrypoint', 'environment', 'fileSets',
        'groups', 'image', 'imageDirectory', 'labels', 'lockFile', 'npm', 'outputDirectory', 'outputTimestamp',
        'permissions', 'pip', 'ports', 'registryServerId', 'skip', 'tagRuntime', 'tags', 'tarFile', 'target', 'user',
        'volumes', 'workingDirectory', 'workspace']
assert headings.keySet() as List == expected : "build-image parameters listed: ${headings.keySet()}"
assert headings.base == 'scratch'
assert headings.target == 'tar'
assert headings.skip == 'false'
assert headings.tagRuntime == 'false'
assert headings.allowInsecureRegistries == 'false'
assert headings.workspace == 'false'
assert headings.tarFile == '${project.build.directory}/molecule/image.tar'
assert headings.image == '${project.artifactId}:${project.version}'
assert headings.permissions == null && headings.cacheDirectory == null

String text = section.join('\n')
['base': 'molecule.base', 'target': 'molecule.target', 'cacheDirectory': 'molecule.cacheDirectory',
 'skip': 'molecule.build.skip', 'imageDirectory': 'molecule.imageDirectory',
 'registryServerId': 'molecule.registryServerId', 'workspace': 'molecule.workspace',
 'cacheRepository': 'molecule.cacheRepository', 'cacheServerId': 'molecule.cacheServerId'].each { parameter, property ->
    assert text =~ /(?m)^    ${parameter}\b[^\n]*\n(?:      [^\n]*\n)*?      User property: ${java.util.regex.Pattern.quote(property)}$/ :
            "${parameter} does not show user property ${property}"
}
assert text.contains('Mode and numeric owner overrides for image paths matching a glob')
assert text.contains('ai.molecule.build-arg.* label')
assert lines.subList(lock, run).join('\n').contains('User property: molecule.lock.skip')

// run takes the image parameters plus its own; stop only what it needs to find and clean up.
Map<String, String> runHeadings = parameterHeadings(lines.subList(run, stop))
['watch': 'false', 'detach': 'false', 'name': 'molecule-run-${project.artifactId}',
 'tokenVariable': 'MOLECULE_AUTH_TOKEN', 'configsDirectory': '${project.build.directory}/molecule/run/configs',
 'skip': 'false'].each { parameter, value ->
    assert runHeadings[parameter] == value : "run ${parameter}: ${runHeadings[parameter]}"
}
assert runHeadings.keySet().containsAll(['env', 'tokenServerId', 'workspaceDirectory', 'debian', 'workspace'])
String runText = lines.subList(run, stop).join('\n')
['molecule.watch', 'molecule.run.detach', 'molecule.run.env', 'molecule.run.skip'].each {
    assert runText.contains('User property: ' + it) : "run does not show user property ${it}"
}
assert parameterHeadings(lines.subList(stop, validate)).keySet() as List == ['configsDirectory', 'image', 'skip']
assert lines.subList(stop, validate).join('\n').contains('User property: molecule.stop.skip')

// validate sees the image parameters (the same files and permissions build-image would use) plus skip.
List<String> validateSection = lines.subList(validate, lines.size())
List<String> validateExpected = ['accounts', 'allowInsecureRegistries', 'architecture', 'base', 'baseServerId',
        'buildArgs', 'caCertificates', 'cacheDirectory', 'cmd', 'debian', 'entrypoint', 'environment', 'fileSets',
        'groups', 'imageDirectory', 'labels', 'lockFile', 'npm', 'outputDirectory', 'outputTimestamp', 'permissions',
        'pip', 'ports', 'skip', 'user', 'volumes', 'workingDirectory', 'workspace']
Map<String, String> validateHeadings = parameterHeadings(validateSection)
assert validateHeadings.keySet() as List == validateExpected : "validate parameters listed: ${validateHeadings.keySet()}"
assert validateHeadings.skip == 'false'
assert validateSection.join('\n').contains('User property: molecule.validate.skip')
return true
