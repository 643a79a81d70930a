#!/bin/sh
# Linear time: each hostile shape at 2^k and 2^(k+1) times its unit, and
# the ratio of the two run times (at most 2.5 is linear enough).
# Usage: bench/linear.sh [PLANPARSE]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pp=${1:-$here/../build/planparse}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shape() { # name, line, count
  python3 -c "import sys; sys.stdout.write(sys.argv[1].encode().decode('unicode_escape') * int(sys.argv[2]))" "$2" "$3" >"$tmp/$1"
}
t() { /usr/bin/time -f '%e' -o "$tmp/t" "$pp" -f json "$tmp/$1" >/dev/null; cat "$tmp/t"; }
printf '%-14s %10s %10s %7s\n' shape "N (s)" "2N (s)" ratio
for s in sections:一、节\\n items:1.项。内容。\\n body:这是正文，没有句号\\n fields:责任单位：甲、乙\\n \
         mixed:一、节\\n（一）小节\\n1.项。\\n（1）子项。\\n①点。\\n; do
  name=${s%%:*}
  line=${s#*:}
  shape "$name.1" "$line" 200000
  shape "$name.2" "$line" 400000
  a=$(t "$name.1")
  b=$(t "$name.2")
  printf '%-14s %10s %10s %7s\n' "$name" "$a" "$b" "$(echo "scale=2; $b / $a" | bc)"
done
