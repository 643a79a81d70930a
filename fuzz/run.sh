#!/bin/sh
# Builds the libFuzzer targets with clang, replays every input kept in
# fuzz/regressions/ (crashes and slow inputs found before), then fuzzes
# each target for SECONDS (default 60) from the samples and grammars.
# Usage: fuzz/run.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DPP_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/doc" "$work/grammar" "$work/diff"
cp samples/*.txt "$work/doc/"
cp grammars/*.yaml "$work/grammar/"
set -- samples/*.txt
prev=""
for f in "$@"; do
  [ -n "$prev" ] && { cat "$prev"; printf '\0'; cat "$f"; } >"$work/diff/$(basename "$f")"
  prev=$f
done
total=0
for t in doc grammar diff; do
  build-fuzz/fuzz_$t -runs=0 fuzz/regressions/$t/* >"$work/replay-$t.log" 2>&1 ||
    { cat "$work/replay-$t.log"; echo "fuzz: replaying fuzz/regressions/$t failed"; exit 1; }
  if ! build-fuzz/fuzz_$t -max_total_time="$secs" -timeout=1 -rss_limit_mb=4096 \
      -artifact_prefix="$work/$t-" "$work/$t" >"$work/$t.log" 2>&1; then
    tail -30 "$work/$t.log"
    echo "fuzz: fuzz_$t found a failing input; keep it in fuzz/regressions/$t/:"
    ls "$work/$t-"* 2>/dev/null
    exit 1
  fi
  runs=$(grep -o 'Done [0-9]* runs' "$work/$t.log" | grep -o '[0-9]*' || echo 0)
  echo "fuzz_$t: $secs s, $runs runs, $(ls fuzz/regressions/$t | wc -l) regressions replayed, no failure"
  total=$((total + secs))
done
echo "fuzzing: $total s in all"
