#pragma once
// Code run once per operation (its input read, its statements built, its
// answer put together) compiled for size in the wasm, also in the files of the
// hot path (CMakeLists.txt, EVENTUALL_HOT_SOURCES_REGEX): every function
// defined between EVENTUALL_FOR_SIZE_BEGIN and EVENTUALL_FOR_SIZE_END is
// minsize. What such code calls in a loop (JSON, SQL values, strings, hashes)
// is defined in headers or in the library's own files, outside these
// regions, and keeps -O2 (BENCHMARKS.md, "Module size again").
#if defined(__EMSCRIPTEN__) && defined(__clang__)
#define EVENTUALL_FOR_SIZE_BEGIN \
  _Pragma("clang attribute push(__attribute__((minsize)), apply_to = function)")
#define EVENTUALL_FOR_SIZE_END _Pragma("clang attribute pop")
#else
#define EVENTUALL_FOR_SIZE_BEGIN
#define EVENTUALL_FOR_SIZE_END
#endif
