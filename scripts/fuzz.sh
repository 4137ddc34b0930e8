#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang 14 into build-fuzz and
# runs each for MINUTES (default 5; 0 only replays the corpus), one after
# the other, niced. New inputs go to build-fuzz/fuzz-runs/<name>/new and
# crash inputs to build-fuzz/fuzz-runs/<name>/artifacts; the corpus in
# fuzz/corpus changes only with --merge (libFuzzer -merge=1, keeping just
# the inputs that add coverage). Copy a crash input into fuzz/crashes/<name>/
# once it is understood: CI replays it from then on (fuzz/CMakeLists.txt).
#
# Usage: scripts/fuzz.sh [--merge] [MINUTES] [NAME...]   (NAME: http, json, ...)
# Needs clang-14 and libFuzzer (Debian: clang-14, libclang-rt-14-dev); CI
# does not run this.
set -euo pipefail
cd "$(dirname "$0")/.."

merge=0
if [ "${1:-}" = "--merge" ]; then
  merge=1
  shift
fi
minutes="${1:-5}"
shift || true
all=(http multipart json catalog csv jsonld nquads rdfc baking content_type)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")
build="${FUZZ_BUILD_DIR:-build-fuzz}"
runs="$build/fuzz-runs"

if ! command -v clang++-14 >/dev/null; then
  echo "fuzz.sh: clang++-14 not found (apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 1
fi
if ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz.sh: libFuzzer for clang 14 not found (apt-get install libclang-rt-14-dev)" >&2
  exit 1
fi

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
echo "== Build ($build, clang++-14, -fsanitize=fuzzer,address,undefined) =="
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCAIRN_FUZZ=ON -DCAIRN_BUILD_TESTS=OFF -DCAIRN_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
nice -n 10 cmake --build "$build" -j"$(nproc)" --target cairn_fuzzers

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
summary=()
for name in "${names[@]}"; do
  fuzzer="$build/fuzz/${name}_fuzzer"
  [ -x "$fuzzer" ] || { echo "fuzz.sh: no harness '$name' (one of: ${all[*]})" >&2; exit 1; }
  dir="$runs/$name"
  mkdir -p "$dir/new" "$dir/artifacts"
  seeds=(fuzz/corpus/"$name")
  [ -d fuzz/crashes/"$name" ] && seeds+=(fuzz/crashes/"$name")
  dict=()
  [ -f fuzz/"$name".dict ] && dict=(-dict=fuzz/"$name".dict)
  echo "== $name: ${minutes} min (log: $dir/log) =="
  : >"$dir/log"
  touch "$dir/started"
  # libFuzzer stops at the first crash: start again until the time is used
  # (at most 20 times), so one bug does not hide the others.
  deadline=$((SECONDS + minutes * 60))
  executions=0
  for attempt in $(seq 1 20); do
    left=$((deadline - SECONDS))
    if [ "$minutes" -eq 0 ]; then
      limit=(-runs=0)
    elif [ "$left" -gt 0 ]; then
      limit=(-max_total_time="$left")
    else
      break
    fi
    nice -n 10 "$fuzzer" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      "${dict[@]}" -artifact_prefix="$dir/artifacts/" "$dir/new" "${seeds[@]}" \
      >"$dir/attempt.log" 2>&1 || true
    cat "$dir/attempt.log" >>"$dir/log"
    runs_done=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/attempt.log" | tail -1)
    executions=$((executions + ${runs_done:-0}))
    [ "$minutes" -eq 0 ] && break
  done
  crashes=$(find "$dir/artifacts" -type f -newer "$dir/started" \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  if [ "$merge" -eq 1 ]; then
    nice -n 10 "$fuzzer" -merge=1 -timeout=10 fuzz/corpus/"$name" "$dir/new" >>"$dir/log" 2>&1
  fi
  summary+=("$(printf '%-14s %4s min %12s executions %3s crash inputs' \
    "$name" "$minutes" "$executions" "$crashes")")
done

echo "== Summary (crash inputs: $runs/<name>/artifacts) =="
printf '%s\n' "${summary[@]}"
