#!/bin/sh
# cmake --install puts the binary, library, header, pkg-config file,
# grammars, man page and shell completions in place; the installed binary
# finds its grammars without the source tree; a program builds against the
# installed library with pkg-config; bash completes options.
set -eu
build=$1 src=$2 cflags=${3:-}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
cmake --install "$build" --prefix "$dest/usr" >/dev/null
pass=0
ok() { pass=$((pass + 1)); }
for f in bin/planparse share/planparse/grammars/cn-plan.yaml \
         share/planparse/grammars/markdown-plan.yaml share/man/man1/planparse.1 \
         include/planparse.h share/bash-completion/completions/planparse \
         share/zsh/site-functions/_planparse; do
  [ -e "$dest/usr/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
  ok
done
pc=$(find "$dest/usr" -name planparse.pc | head -1)
lib=$(find "$dest/usr" -name 'libplanparse.*' | head -1)
[ -n "$pc" ] && [ -n "$lib" ] || { echo "FAIL: no library or planparse.pc"; exit 1; }
ok
out=$("$dest/usr/bin/planparse" --list-grammars)
case $out in
  *"$dest/usr/share/planparse/grammars/cn-plan.yaml"*) ok ;;
  *) echo "FAIL: installed binary does not use installed grammars: $out"; exit 1 ;;
esac
n=$("$dest/usr/bin/planparse" "$src/samples/lvliang-2022.txt" | grep -c '^- kind: section')
[ "$n" = 10 ] || { echo "FAIL: installed binary read $n sections of lvliang, not 10"; exit 1; }
ok
# A program of the user's, built with pkg-config against the installed copy.
cat >"$dest/use.c" <<'C'
#include <planparse.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  pp_error e;
  pp_grammars *set = pp_grammars_new();
  if (pp_grammars_add_dir(set, argv[1], &e)) return 1;
  const char *text = "一、总体要求\n1.加强党建。内容。\n";
  pp_options opt = {"inline", set, NULL, NULL, 0, 0, 0};
  pp_doc *d = pp_doc_parse(text, strlen(text), &opt, &e);
  if (!d) return 1;
  printf("%s\n", pp_node_title(pp_node_first_child(pp_doc_first_child(d))));
  pp_doc_free(d);
  pp_grammars_free(set);
  return 0;
}
C
# As the README says it, without --static.
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs planparse)
# shellcheck disable=SC2086
cc $cflags -o "$dest/use" "$dest/use.c" $flags
got=$("$dest/use" "$dest/usr/share/planparse/grammars")
[ "$got" = "加强党建" ] || { echo "FAIL: pkg-config build printed '$got'"; exit 1; }
ok
# bash completion offers the formats after --format.
if command -v bash >/dev/null; then
  got=$(bash -c ". '$dest/usr/share/bash-completion/completions/planparse'
    COMP_WORDS=(planparse --format j); COMP_CWORD=2; _planparse; echo \"\${COMPREPLY[*]}\"")
  [ "$got" = "json jsonl" ] || { echo "FAIL: bash completion of --format j gave '$got'"; exit 1; }
  ok
  got=$(bash -c ". '$dest/usr/share/bash-completion/completions/planparse'
    COMP_WORDS=(planparse compare --t); COMP_CWORD=2; _planparse; echo \"\${COMPREPLY[*]}\"")
  [ "$got" = "--threshold --themes --targets" ] || { echo "FAIL: bash: compare --t gave '$got'"; exit 1; }
  ok
fi
# zsh completes commands, formats per command, options per command and
# grammar names, typed into an interactive zsh.
if command -v zsh >/dev/null; then
  got=$(zsh "$src/tests/zsh_complete.zsh" "$dest/usr/share/zsh/site-functions" "$dest/usr/bin" \
    'planparse ' 'planparse --format ' 'planparse diff --format ' 'planparse compare --t' \
    'planparse -g ' 2>&1)
  section() { printf '%s\n' "$got" | awk -v h="=== $1" '$0 == h {on = 1; next} /^=== / {on = 0} on'; }
  want() { # want LINE WORD... : each word is listed for LINE
    line=$1; shift
    s=$(section "$line")
    for w; do
      case $s in *"$w"*) ;; *) echo "FAIL: zsh: '$line' + Tab lists no '$w':"; printf '%s\n' "$s"; exit 1 ;; esac
    done
    ok
  }
  want 'planparse ' 'diff' 'compare' 'two plans side by side'
  want 'planparse --format ' csv jsonl tsv yaml
  case $(section 'planparse --format ') in *text*) echo "FAIL: zsh offers text to convert"; exit 1 ;; esac
  want 'planparse diff --format ' text json yaml
  want 'planparse compare --t' --targets --themes --threshold
  want 'planparse -g ' cn-plan markdown-plan
fi
echo "install: $pass passed, 0 failed"
