#!/usr/bin/env bash
# The native reliability runs, in build/sanitize (clang-14, -O1, ASan + UBSan
# with LeakSanitizer, libFuzzer coverage on every object; only the doctest
# suite and the fuzzer are built there):
#
#   scripts/reliability.sh build            configure once, build both targets
#   scripts/reliability.sh test             the native suite under the sanitizers
#   scripts/reliability.sh fuzz [seconds]   the operation fuzzer (default 60 s)
#   scripts/reliability.sh escalation [steps] [seed]
#                                           the escalation search of
#                                           tests/native/authorization_test.cpp
#                                           (CI runs 10,000 steps of seed
#                                           20261201): default 100,000 steps of
#                                           a seed drawn per run, printed so a
#                                           finding can be replayed
#   scripts/reliability.sh mutate [all]     mutation testing of js-shim (Stryker,
#                                           stryker.config.mjs): a sample, the
#                                           cache's lookup and invalidation
#                                           (lines 80-143); all: every area in full
#                                           (cache, shim, migrations), scores per
#                                           area in build/mutation/<area>.json
#
# The fuzz corpus grows in build/sanitize/fuzz_corpus across runs; the seeds
# come from the fixtures (fuzz/make_corpus.mjs). A longer run:
#   scripts/reliability.sh fuzz 1800
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

what="${1:-test}"
dir=build/sanitize
jobs="${EVENTUALL_JOBS:-2}"

# Any finding aborts with a non-zero status.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

build() {
  if [[ ! -f $dir/build.ninja ]]; then
    CC=clang-14 CXX=clang++-14 cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DEVENTUALL_SANITIZE=ON -DEVENTUALL_FUZZ=ON
  fi
  ninja -j"$jobs" -C $dir eventuall_tests eventuall_operation_fuzzer
}

case "$what" in
  build) build ;;
  test)
    build
    # Two processes: the fault-injection case is about 60% of the suite under
    # the sanitizers, so it runs beside the others and uses a core of its own
    # once CI's other jobs are done. It must still be found and pass.
    faults="every statement of every fixture step can fail without leaving a trace"
    $dir/eventuall_tests -tc="$faults" >$dir/tests_faults.log 2>&1 &
    faults_pid=$!
    status=0
    $dir/eventuall_tests -tce="$faults" || status=$?
    wait $faults_pid || status=$?
    cat $dir/tests_faults.log
    if ! grep -Eq 'test cases: +1 \| +1 passed' $dir/tests_faults.log; then
      echo "reliability.sh: the fault-injection case did not run exactly once and pass" >&2
      status=1
    fi
    exit $status
    ;;
  fuzz)
    build
    seconds="${2:-60}"
    node fuzz/make_corpus.mjs $dir/fuzz_seeds $dir/operation.dict
    mkdir -p $dir/fuzz_corpus
    # Progress goes to fuzz.log; the summary (or the crash) is printed.
    if ! $dir/eventuall_operation_fuzzer -max_total_time="$seconds" -dict=$dir/operation.dict \
      -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
      $dir/fuzz_corpus $dir/fuzz_seeds >$dir/fuzz.log 2>&1; then
      tail -60 $dir/fuzz.log
      exit 1
    fi
    grep -m1 INITED $dir/fuzz.log || true
    tail -7 $dir/fuzz.log
    ;;
  escalation)
    build
    steps="${2:-100000}"
    seed="${3:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
    echo "escalation search: $steps steps, seed $seed (replay: $0 escalation $steps $seed)"
    EVENTUALL_ESCALATION_STEPS="$steps" EVENTUALL_ESCALATION_SEED="$seed" \
      $dir/eventuall_tests -tc="escalation search*"
    ;;
  mutate)
    # The C++ has no packaged mutation tool here (Debian ships none, and the
    # registries reachable are Debian's and npm's): js-shim only.
    [[ -f build/wasm/eventuall_testing.wasm ]] || scripts/build.sh wasm
    if [[ "${2:-sample}" == all ]]; then
      for area in cache shim migrations; do EVENTUALL_MUTATE_AREA=$area npx stryker run; done
    else
      EVENTUALL_MUTATE_AREA=cache EVENTUALL_MUTATE_LINES=80-143 npx stryker run
    fi
    node -e '
      for (const file of require("fs").readdirSync("build/mutation")) {
        const { files } = require(`${process.cwd()}/build/mutation/${file}`);
        const mutants = Object.values(files).flatMap((f) => f.mutants);
        const count = (...s) => mutants.filter((m) => s.includes(m.status)).length;
        const killed = count("Killed", "Timeout"), survived = count("Survived", "NoCoverage");
        console.log(`${file}: ${killed} killed, ${survived} survived, score ${(100 * killed / (killed + survived)).toFixed(1)}%`);
      }'
    ;;
  *) echo "usage: $0 [build|test|fuzz [seconds]|escalation [steps] [seed]|mutate [all]]" >&2; exit 2 ;;
esac
