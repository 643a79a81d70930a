#!/bin/sh
# cmake --install puts the binary, grammars and man page in place, and the
# installed binary finds its grammars without the source tree.
set -eu
build=$1 src=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
cmake --install "$build" --prefix "$dest/usr" >/dev/null
for f in bin/planparse share/planparse/grammars/cn-plan.yaml \
         share/planparse/grammars/markdown-plan.yaml share/man/man1/planparse.1 \
         include/planparse.h; do
  [ -e "$dest/usr/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
out=$("$dest/usr/bin/planparse" --list-grammars)
case $out in
  *"$dest/usr/share/planparse/grammars/cn-plan.yaml"*) ;;
  *) echo "FAIL: installed binary does not use installed grammars: $out"; exit 1 ;;
esac
n=$("$dest/usr/bin/planparse" "$src/samples/lvliang-2022.txt" | grep -c '^- kind: section')
[ "$n" = 10 ] || { echo "FAIL: installed binary read $n sections of lvliang, not 10"; exit 1; }
echo "install: 3 passed, 0 failed"
