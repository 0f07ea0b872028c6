#!/usr/bin/env bash
# npm's prepack (`npm pack`, `npm publish`): the tarball must hold the wasm built from this
# source, so build it (incremental: nothing to do when it is current) or refuse, saying what
# is missing. The manifest (version, wasm SHA-256, required migrations) is written with it.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in emcmake em++ cmake ninja; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  cat >&2 <<MSG
prepack: cannot pack eventuall-data: the tarball must contain js-shim/dist/eventuall.wasm,
built from the C++ core, and building it needs ${missing[*]} (emscripten, cmake, ninja).
Install them with scripts/setup.sh (Debian), then run npm pack again.
MSG
  exit 1
fi
scripts/build.sh wasm >&2 # stdout stays clean for `npm pack --json`
for file in js-shim/dist/eventuall.wasm js-shim/dist/manifest.mjs; do
  [[ -s "$file" ]] || { echo "prepack: $file was not built" >&2; exit 1; }
done
