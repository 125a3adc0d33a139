#!/usr/bin/env bash
# The safety net, run by `scripts/setup.sh --test` after the plain test suite. Fails on any
# sanitizer report and any fuzzing crash.
#   scripts/safety.sh [asan] [fuzz] [tsan]   (default: all three, in this order)
#   asan  build-asan (clang, AddressSanitizer + UndefinedBehaviorSanitizer, libFuzzer coverage):
#         the core, the CLI, every core test and the fuzz corpus replays; runs those tests.
#   fuzz  the libFuzzer targets of fuzz/ (built in build-asan), each for FUZZ_SECONDS (default 15)
#         from its committed seed corpus fuzz/corpus/NAME.
#   tsan  build-tsan (clang, ThreadSanitizer, on oneTBB built with ThreadSanitizer, see
#         build-tbb-tsan.sh): the tests labelled "threads" (trainer control, snapshots, the
#         checkpointer, the GUI bridge offscreen).
# One build serves the sanitized tests and the fuzzers: a separate fuzzing build would compile the
# whole core a fourth time, and CI must stay under 30 minutes on 2 cores.
# Reports abort the process that has them, and are also written to BUILD/sanitizer-logs/, which
# must stay empty: so a report in a child process (the CLI that tst_cli runs) fails the run even
# when the test expected that child to fail.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="$(nproc)"
steps=("$@")
((${#steps[@]})) || steps=(asan fuzz tsan)

configure() {  # DIR, then cmake arguments (applied to an existing build too)
  local dir="$1"
  shift
  # Debug: assert() and Eigen's index checks are on (Sanitizers.cmake adds -O2 for speed).
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLATENT_BUILD_BENCH=OFF "$@" >/dev/null
}

run_ctest() {  # DIR, then ctest arguments
  local dir="$1" logs="$1/sanitizer-logs"
  shift
  local status=0
  # Qt Test aborts a test function after 5 minutes; sanitized training (tst_lstmanomaly's 40
  # epochs) can take longer, so it gets ctest's 15.
  (cd "$dir" && QT_QPA_PLATFORM=offscreen QTEST_FUNCTION_TIMEOUT=900000 \
    ctest --output-on-failure --timeout 900 "$@") || status=$?
  if compgen -G "$logs/*" >/dev/null; then
    echo "== sanitizer reports in $logs:" >&2
    cat "$logs"/* >&2
    exit 1
  fi
  return "$status"
}

fresh_logs() {  # DIR: empties DIR/sanitizer-logs and prints its absolute path
  rm -rf "$1/sanitizer-logs"
  mkdir -p "$1/sanitizer-logs"
  echo "$root/$1/sanitizer-logs"
}

build_asan() {
  # Without the learning tests: minutes of training each under ASan, on code that the unit tests
  # run here too (see tests/CMakeLists.txt).
  CC=clang-14 CXX=clang++-14 configure build-asan -DLATENT_SANITIZE=address,undefined \
    -DLATENT_FUZZ=ON -DLATENT_BUILD_GUI=OFF -DLATENT_LEARNING_TESTS=OFF
  cmake --build build-asan --parallel "$jobs" --target all fuzz_targets
}

asan_options() {  # LOGDIR ('' for none): exports the options of the ASan + UBSan runs
  local log_asan="" log_ubsan=""
  [[ -n "$1" ]] && log_asan="log_path=$1/asan:" && log_ubsan="log_path=$1/ubsan:"
  export ASAN_OPTIONS="${log_asan}detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
  export UBSAN_OPTIONS="${log_ubsan}print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0"
}

step_asan() {
  echo "== building with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan, clang)"
  build_asan
  echo "== running the core tests with AddressSanitizer + UndefinedBehaviorSanitizer"
  asan_options "$(fresh_logs build-asan)"
  run_ctest build-asan -j 2
}

fuzz_one() {  # NAME SECONDS SCRATCH: one target's bounded run; writes build-asan/fuzz-NAME.log
  local name="$1" seconds="$2" scratch="$3" dir=build-asan
  local seeds="fuzz/corpus/$name" work="$dir/fuzz-corpus/$name"
  mkdir -p "$work"  # what the fuzzer finds: kept between local runs, never committed
  local dict=()
  [[ -f "fuzz/dict/$name.dict" ]] && dict=(-dict="fuzz/dict/$name.dict")
  # -rss_limit_mb (also the malloc limit): a file that makes a loader allocate past its caps
  # fails here. -timeout: a hang is a failure too.
  TMPDIR="$scratch" "$dir/bin/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/fuzz-artifacts/$name-" \
    "${dict[@]}" "$work" "$seeds" >"$dir/fuzz-$name.log" 2>&1
}

step_fuzz() {
  local seconds="${FUZZ_SECONDS:-15}" dir=build-asan
  build_asan
  asan_options ""  # libFuzzer prints the report and saves the input itself
  # Scratch files on tmpfs when there is one: the loaders take paths, every input is a file.
  local scratch
  scratch="$(mktemp -d "$([[ -d /dev/shm ]] && echo /dev/shm || echo /tmp)/latent-fuzz.XXXXXX")"
  mkdir -p "$dir/fuzz-artifacts"
  local names=() name
  mapfile -t names <"$dir/fuzz-targets.txt"
  # One target per core at a time: each libFuzzer run is single-threaded.
  for name in "${names[@]}"; do
    while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
    echo "== fuzzing $name for ${seconds}s from $(find "fuzz/corpus/$name" -type f | wc -l) seeds"
    rm -f "$dir/fuzz-$name.ok"
    { if fuzz_one "$name" "$seconds" "$scratch"; then touch "$dir/fuzz-$name.ok"; fi; } &
  done
  wait
  local failed=()
  for name in "${names[@]}"; do [[ -f "$dir/fuzz-$name.ok" ]] || failed+=("$name"); done
  rm -rf "$scratch"
  for name in "${failed[@]}"; do
    tail -n 60 "$dir/fuzz-$name.log" >&2
    echo "== fuzz_$name failed; the input is in $dir/fuzz-artifacts/. Fix the bug, then add" \
      "the input to fuzz/corpus/$name/ as crash-<what> (fuzz_corpus_$name replays it in every" \
      "build)" >&2
  done
  ((${#failed[@]} == 0)) || exit 1
  local total=0 execs seeds
  echo "== fuzzing: no crashes"
  for name in "${names[@]}"; do
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz-$name.log" | tail -n 1)"
    seeds="$(find "fuzz/corpus/$name" -type f | wc -l)"
    total=$((total + ${execs:-0}))
    printf '   %-12s %9s execs  %3s seeds  %5s in the working corpus\n' "$name" "${execs:-?}" \
      "$seeds" "$(find "$dir/fuzz-corpus/$name" -type f | wc -l)"
  done
  echo "   total $total execs"
}

step_tsan() {
  local tbb="$root/.cache/onetbb-tsan"
  scripts/build-tbb-tsan.sh "$tbb"
  echo "== building with ThreadSanitizer (build-tsan)"
  CC=clang-14 CXX=clang++-14 configure build-tsan -DLATENT_SANITIZE=thread \
    -DTBB_DIR="$tbb/lib/cmake/TBB"
  cmake --build build-tsan --parallel "$jobs" --target thread_tests
  echo "== running the threading tests with ThreadSanitizer"
  export TSAN_OPTIONS="log_path=$(fresh_logs build-tsan)/tsan:halt_on_error=1:second_deadlock_stack=1:suppressions=$root/scripts/sanitizers/tsan.supp"
  run_ctest build-tsan -L threads -j 2
}

for step in "${steps[@]}"; do
  case "$step" in
    asan | fuzz | tsan) "step_$step" ;;
    *)
      echo "usage: scripts/safety.sh [asan] [fuzz] [tsan]" >&2
      exit 2
      ;;
  esac
done
