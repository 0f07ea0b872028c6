#pragma once
// Task<T>: the coroutine type of every operation and of the helpers it awaits.
// Lazy: nothing runs until it is awaited or resumed by an Execution.
//
// No symmetric transfer (await_suspend returning a handle): clang 14 lowers it
// to a tail call, which needs the wasm tail-call feature. Instead an awaited
// Task runs inline; if it finishes before returning, the awaiter just goes on;
// if it suspended on a batch, its final_suspend resumes the awaiter later.

#include <exception>
#include <optional>
#include <utility>

#include "common/coroutine.h"

namespace eventuall::runtime {

template <typename T>
class [[nodiscard]] Task {
 public:
  struct promise_type;
  using Handle = coro::coroutine_handle<promise_type>;

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    void await_suspend(Handle self) noexcept {
      promise_type& promise = self.promise();
      // Finished inside the awaiter's own resume() call: it goes on by itself.
      if (promise.starting_inline) return;
      if (promise.continuation) promise.continuation.resume();
    }
    void await_resume() noexcept {}
  };

  struct promise_type {
    std::optional<T> value;
    coro::coroutine_handle<> continuation;
    bool starting_inline = false;

    Task get_return_object() { return Task(Handle::from_promise(*this)); }
    coro::suspend_always initial_suspend() noexcept { return {}; }
    FinalAwaiter final_suspend() noexcept { return {}; }
    void return_value(T v) { value.emplace(std::move(v)); }
    // The core is built without exceptions; nothing can reach here.
    void unhandled_exception() noexcept { std::terminate(); }
  };

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { destroy(); }

  // Awaiting a Task starts it; the awaiting coroutine resumes when it returns.
  bool await_ready() const noexcept { return false; }
  bool await_suspend(coro::coroutine_handle<> caller) noexcept {
    promise_type& promise = handle_.promise();
    promise.continuation = caller;
    promise.starting_inline = true;
    handle_.resume();
    promise.starting_inline = false;
    return !handle_.done();  // false: finished already, the caller goes on
  }
  T await_resume() { return std::move(*handle_.promise().value); }

  // For the Execution that drives a root task.
  Handle handle() const { return handle_; }
  bool done() const { return handle_ && handle_.done(); }
  T take_value() { return std::move(*handle_.promise().value); }

 private:
  explicit Task(Handle h) : handle_(h) {}
  void destroy() {
    if (handle_) handle_.destroy();
    handle_ = {};
  }

  Handle handle_;
};

}  // namespace eventuall::runtime
