// A stale image from an earlier run must not stand in for this build's.
['docker', 'rmi', '-f', 'molecule-it/workspace-image:1'].execute().waitFor()
return true
