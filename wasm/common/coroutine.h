#pragma once
// g++ 12 ships <coroutine>; emscripten 3.1.6's libc++ (LLVM 14) only has
// <experimental/coroutine>. The core names coroutine types through coro:: only.

#if __has_include(<coroutine>)
#include <coroutine>
namespace eventuall::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace eventuall::coro
#else
#include <experimental/coroutine>
namespace eventuall::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace eventuall::coro
#endif
