#!/usr/bin/env bash
# Builds the Eventuall core both ways and puts the wasm where the JS shim and
# the example Worker import it from:
#   native: build/native  (g++ + libsqlite3: CLI `eventuall`, `eventuall_tests`)
#   wasm:   build/wasm    (emcmake: eventuall.wasm) -> js-shim/dist/eventuall.wasm,
#           from one link: eventuall_testing.wasm (what the JS suites load: the
#           release plus the determinism hook) stays in build/wasm
#
# Usage: scripts/build.sh [all|native|wasm|tools]   (default: all)
#   tools: wasm + the native CLI and benches, without the native test binary
#          (scripts/test.sh: the suite runs in the sanitizer build instead)
# Incremental: configures a build folder only once (ninja re-runs cmake when
# CMakeLists.txt changes) and copies the wasm only when it changed, so a
# running `wrangler dev` reloads only on a real change.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

what="${1:-all}"
case "$what" in
  all | native | wasm | tools) ;;
  *) echo "usage: $0 [all|native|wasm|tools]" >&2; exit 2 ;;
esac

# Debian's emscripten finds acorn & co. only through NODE_PATH.
case ":${NODE_PATH:-}:" in
  *:/usr/share/nodejs:*) ;;
  *) export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs" ;;
esac

if [[ "$what" != wasm ]]; then
  [[ -f build/native/build.ninja ]] || cmake -S . -B build/native -G Ninja
  if [[ "$what" == tools ]]; then
    ninja -C build/native eventuall_tools
  else
    ninja -C build/native
  fi
fi

if [[ "$what" != native ]]; then
  [[ -f build/wasm/build.ninja ]] || emcmake cmake -S . -B build/wasm -G Ninja
  ninja -C build/wasm
  mkdir -p js-shim/dist
  if ! cmp -s build/wasm/eventuall.wasm js-shim/dist/eventuall.wasm; then
    cp build/wasm/eventuall.wasm js-shim/dist/eventuall.wasm
    echo "build.sh: updated js-shim/dist/eventuall.wasm ($(wc -c <js-shim/dist/eventuall.wasm) bytes)"
  fi
  # Version and required migrations beside the wasm (js-shim/dist/manifest.mjs).
  node scripts/write_manifest.mjs
fi
