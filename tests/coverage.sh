#!/bin/sh
# Line and branch coverage of the library by the test suite (gcovr), for
# CI to print.  Usage: tests/coverage.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build-cov}
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS="--coverage -fprofile-update=atomic" \
  -DCMAKE_EXE_LINKER_FLAGS="--coverage" >/dev/null
cmake --build "$dir" -j"$(nproc)" >/dev/null 2>&1
# The scale suite measures memory, and linear counts instructions, both of
# which coverage counters distort.
ctest --test-dir "$dir" -E 'scale|linear' >/dev/null 2>&1 || { echo "coverage: the suite failed"; exit 1; }
gcovr -r . "$dir" --filter 'src/' --exclude 'src/main.c' --exclude 'src/cli_batch.c' \
  --exclude 'src/cli.h' --print-summary -o "$dir/coverage.txt"
