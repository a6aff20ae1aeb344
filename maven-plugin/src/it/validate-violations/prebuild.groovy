// The leaked token is written here, not committed, so the repository holds no credential-shaped string.
File env = new File(basedir, 'src/main/image/app/agent.env')
env.text = 'MODEL=opus\nGH_TOKEN=' + 'ghp' + '_' + 'R7kq2Vx9Lm4Pz8Tn3Wb6Yc1Hd5Jf0Gs2Ae7U' + '\n'
return true
