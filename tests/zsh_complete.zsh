# zsh's completion of planparse, typed into a real interactive zsh (zpty):
# zsh tests/zsh_complete.zsh FUNCDIR BINDIR prints, for each line typed and
# completed with Tab, "=== LINE" and what zsh listed.
zmodload zsh/zpty
local funcs=$1 bin=$2 buf
zpty z zsh -f -i
zpty -w z "PS1='> '; fpath=($funcs \$fpath); autoload -U compinit; compinit -u -D; PATH=$bin:\$PATH; zstyle ':completion:*' format 'GROUP %d'; setopt nobeep"
drain() { local o; while zpty -rt z o; do buf+=$o; done }
sleep 1
drain
shift 2
for line in "$@"; do
  buf=""
  zpty -w -n z "$line"$'\t'
  # Until zsh has listed its matches (or five seconds).
  for i in {1..50}; do
    sleep 0.1
    drain
    [[ $buf == *GROUP*$'\n'*[a-z]* ]] && { sleep 0.3; drain; break }
  done
  print -r -- "=== $line"
  print -r -- "${${buf//$'\e'\[[0-9;?]#[a-zA-Z]/}//$'\r'/}"
  zpty -w -n z $'\C-c'
  sleep 0.3
  buf=""
  drain
done
zpty -d z
