export PS1="agent$ "
