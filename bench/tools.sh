#!/bin/sh
# planparse beside the tools an analyst might use instead, on the same
# corpora: cmark (the Markdown twin of this job, from Debian) and a naive
# Python regex converter (bench/naive.py) writing JSON or, with PyYAML,
# YAML.  BIG: one 64 MiB document; MANY: 2,000 files of about 16 KiB, in
# one process.  Then instructions per input byte (callgrind) on the five
# samples, a figure that does not move with the machine's load.
# Usage: bench/tools.sh [PLANPARSE]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pp=${1:-$here/../build/planparse}
py=$(command -v /usr/bin/python3 || command -v python3)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
samples="$here/../samples"
: >"$tmp/big.txt"
while [ "$(wc -c <"$tmp/big.txt")" -lt 67108864 ]; do cat "$samples"/*.txt >>"$tmp/big.txt"; done
mkdir "$tmp/many"
n=0
for f in "$samples"/*.txt; do
  for k in $(seq 1 400); do cp "$f" "$tmp/many/$n.txt"; n=$((n + 1)); done
done
cat "$tmp/big.txt" "$tmp"/many/* >/dev/null
big=$(wc -c <"$tmp/big.txt")
secs() { /usr/bin/time -f '%e' -o "$tmp/t" "$@" >/dev/null 2>&1 || true; cat "$tmp/t"; }
rate() { echo "scale=1; $big / 1048576 / $1" | bc; }
frate() { echo "scale=0; 2000 / $1" | bc; }
printf '%-34s %12s %8s %14s %8s\n' tool "BIG MiB/s" "x pp" "MANY files/s" "x pp"
# Each row also as a ratio to planparse's YAML row (the first): below 1,
# the tool is slower than planparse.
row() {
  name=$1; shift
  b=$(secs "$@" "$tmp/big.txt")
  m=$(secs "$@" "$tmp"/many/*.txt)
  : "${b0:=$b}" "${m0:=$m}"
  printf '%-34s %12s %8s %14s %8s\n' "$name" "$(rate "$b")" "$(echo "scale=2; $b0 / $b" | bc)" \
    "$(frate "$m")" "$(echo "scale=2; $m0 / $m" | bc)"
}
row "planparse --format yaml -j 1" "$pp" -q -j 1
row "planparse --format json -j 1" "$pp" -q -j 1 --format json
row "cmark (Markdown to HTML)" cmark
row "naive Python regex + json" "$py" "$here/naive.py"
row "naive Python regex + PyYAML" "$py" "$here/naive.py" --yaml
if command -v valgrind >/dev/null; then
  bytes=$(cat "$samples"/*.txt | wc -c)
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$pp" -j 1 "$samples"/*.txt >/dev/null 2>"$tmp/cg.log"
  ir=$(grep -o 'Collected : [0-9]*' "$tmp/cg.log" | grep -o '[0-9]*')
  echo "instructions per input byte on the five samples (callgrind, YAML, start-up included): $((ir / bytes))"
  # The conversion alone: parsing and writing, without loading libraries
  # and grammars, which a long batch pays once.
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg2" --toggle-collect=pp_doc_parse \
    --toggle-collect=pp_doc_write "$pp" -j 1 "$samples"/*.txt >/dev/null 2>"$tmp/cg2.log"
  ir=$(grep -o 'Collected : [0-9]*' "$tmp/cg2.log" | grep -o '[0-9]*')
  echo "instructions per input byte on the five samples (callgrind, YAML, conversion only): $((ir / bytes))"
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg3" --toggle-collect=pp_doc_parse \
    --toggle-collect=pp_doc_write "$pp" -j 1 --format json "$samples"/*.txt >/dev/null 2>"$tmp/cg3.log"
  ir=$(grep -o 'Collected : [0-9]*' "$tmp/cg3.log" | grep -o '[0-9]*')
  echo "instructions per input byte on the five samples (callgrind, JSON, conversion only): $((ir / bytes))"
fi
