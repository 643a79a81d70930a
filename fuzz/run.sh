#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, replays every input kept in
# fuzz/regressions/ (crashes and slow inputs found before), then fuzzes
# each target for SECONDS (default 60) from the samples and grammars, with
# -timeout=1.  The targets fuzz side by side, as many at a time as there
# are cores (PP_FUZZ_JOBS overrides), so that each has a core of its own
# for its whole time: on two cores, doc and grammar together, then diff.
# Prints one line per target: seconds, runs, regressions replayed.
# Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
slots=${PP_FUZZ_JOBS:-$(nproc)}
targets=(doc grammar diff)
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

for t in "${targets[@]}"; do
  build-fuzz/fuzz_$t -runs=0 fuzz/regressions/$t/* >"$work/replay-$t.log" 2>&1 ||
    { cat "$work/replay-$t.log"; echo "fuzz: replaying fuzz/regressions/$t failed"; exit 1; }
done

# One target's whole fuzzing; its outcome goes to $work/$t.result.
fuzz_one() {
  local t=$1 start end
  start=$(date +%s)
  if build-fuzz/fuzz_$t -max_total_time="$secs" -timeout=1 -rss_limit_mb=4096 \
      -artifact_prefix="$work/$t-" "$work/$t" >"$work/$t.log" 2>&1; then
    end=$(date +%s)
    echo "ok $((end - start)) $(grep -o 'Done [0-9]* runs' "$work/$t.log" | grep -o '[0-9]*' || echo 0)" \
      >"$work/$t.result"
  else
    echo "failed" >"$work/$t.result"
    return 1
  fi
}

running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$slots" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait || true

failed=0
total=0
for t in "${targets[@]}"; do
  read -r status took runs <"$work/$t.result" || status=failed
  if [ "$status" != ok ]; then
    tail -30 "$work/$t.log"
    # Out of the scratch directory, which goes at exit.
    mkdir -p build-fuzz/found
    cp "$work/$t-"* build-fuzz/found/ 2>/dev/null || true
    echo "fuzz: fuzz_$t found a failing input; keep it in fuzz/regressions/$t/:"
    ls build-fuzz/found/"$t-"* 2>/dev/null || true
    failed=1
    continue
  fi
  echo "fuzz_$t: $took s, $runs runs, $(ls fuzz/regressions/$t | wc -l) regressions replayed, no failure"
  total=$((total + took))
done
[ "$failed" = 0 ] || exit 1
echo "fuzzing: $total s in all, $slots targets at a time"
