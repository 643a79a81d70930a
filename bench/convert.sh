#!/bin/sh
# Conversion speed: BIG (the samples concatenated to about 64 MB, one
# document) and MANY (2,000 files of about 16 KB) converted to YAML, in one
# process (-j 1 and -j 2) and one process per file.  Wall time by
# /usr/bin/time with the input in the page cache.
# Usage: bench/convert.sh [PLANPARSE]   (default: build/planparse)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pp=${1:-$here/../build/planparse}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
samples="$here/../samples"

: >"$tmp/big.txt"
while [ "$(wc -c <"$tmp/big.txt")" -lt 67108864 ]; do
  cat "$samples"/*.txt >>"$tmp/big.txt"
done
mkdir "$tmp/many"
n=0
for f in "$samples"/*.txt; do
  for k in $(seq 1 400); do cp "$f" "$tmp/many/$n.txt"; n=$((n + 1)); done
done
cat "$tmp/big.txt" "$tmp"/many/* >/dev/null # page cache
big=$(wc -c <"$tmp/big.txt")
t() { /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null; cat "$tmp/t"; }
set -- $(t "$pp" "$tmp/big.txt")
echo "BIG $((big / 1048576)) MiB: $1 s, $(echo "$big / 1048576 / $1" | bc) MiB/s, peak $(($2 / 1024)) MiB"
set -- $(t "$pp" --format json "$tmp/big.txt")
echo "BIG $((big / 1048576)) MiB as JSON: $1 s, $(echo "$big / 1048576 / $1" | bc) MiB/s, peak $(($2 / 1024)) MiB"
# The floor under the YAML figure: libyaml's emitter alone writing the
# same events (bench/yaml_emit.c).
if cc -O2 -o "$tmp/yaml_emit" "$here/yaml_emit.c" $(pkg-config --cflags --libs yaml-0.1) 2>/dev/null; then
  "$pp" "$tmp/big.txt" >"$tmp/big.yaml"
  "$tmp/yaml_emit" "$tmp/big.yaml" "$big"
fi
# Best of three, since file creation in one directory is noisy; to -o DIR
# and, without files to create, to stdout.
best() {
  b=""
  for k in 1 2 3; do
    rm -rf "$tmp/out"
    r=$(t "$@")
    r=${r%% *}
    if [ -z "$b" ] || [ "$(echo "$r < $b" | bc)" = 1 ]; then b=$r; fi
  done
  echo "$b"
}
for j in 1 2; do
  s=$(best "$pp" -q -j $j -o "$tmp/out" "$tmp"/many/*.txt)
  echo "MANY 2000 files, one process, -j $j, -o DIR: $s s, $(echo "2000 / $s" | bc) files/s"
  s=$(best "$pp" -q -j $j "$tmp"/many/*.txt)
  echo "MANY 2000 files, one process, -j $j, to stdout: $s s, $(echo "2000 / $s" | bc) files/s"
done
start=$(date +%s.%N)
for f in "$tmp"/many/*.txt; do "$pp" "$f" >/dev/null; done
end=$(date +%s.%N)
echo "MANY 2000 files, a process each: $(echo "$end - $start" | bc) s, $(echo "2000 / ($end - $start)" | bc) files/s"
# The floor under that figure on this machine: the same loop starting a
# program that does nothing (/bin/true, dynamically linked like planparse).
start=$(date +%s.%N)
for f in "$tmp"/many/*.txt; do /bin/true "$f" >/dev/null; done
end=$(date +%s.%N)
echo "MANY 2000 files, /bin/true started for each: $(echo "$end - $start" | bc) s, $(echo "2000 / ($end - $start)" | bc) files/s"
