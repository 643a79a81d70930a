#!/bin/sh
# The compare benchmark: plans made from the samples (bench/make_plans.py),
# compared 50, 100 and 200 at a time; wall time and peak memory per run.
# Usage: bench/compare.sh [PLANPARSE]   (default: build/planparse)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pp=${1:-$here/../build/planparse}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 2; }
printf '%-8s %-10s %-12s %s\n' plans seconds "peak (MiB)" topics
for n in 50 100 200; do
  python3 "$here/make_plans.py" "$tmp/p$n" "$n" >/dev/null
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$pp" compare -f json "$tmp/p$n"/*.txt >"$tmp/out.json"
  read -r secs kb <"$tmp/time"
  topics=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["topics"]))' "$tmp/out.json")
  printf '%-8s %-10s %-12s %s\n' "$n" "$secs" "$((kb / 1024))" "$topics"
done
for f in "$here/../samples"/*.txt; do set -- "$@" "$f"; done
/usr/bin/time -f '%e %M' -o "$tmp/time" "$pp" compare "$here/../samples"/*.txt >/dev/null
read -r secs kb <"$tmp/time"
echo "the five samples, terminal view: $secs s, $((kb / 1024)) MiB"
