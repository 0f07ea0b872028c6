// The WebAssembly export surface the JS shim drives. One operation in flight is
// a handle; the shim loops: start -> (batch text -> env.DB.batch -> result bytes ->
// resume)* -> outcome text -> release. Handles are independent, so many requests of one
// isolate can be in flight at once without sharing any stack (no Asyncify).
//
// Texts handed out (batch, outcome) live in the handle's slot until the next
// call on that handle; the shim copies them out at once. ev_start and
// ev_resume also leave the state, the text's place and the schema mask in the
// Io block (ev_io), so an operation of one batch makes three calls: ev_start,
// ev_resume, ev_release. The shim writes name, input, seed and results into
// one block of its own, reused (js-shim/eventuall.mjs, scratch).

#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ops/operation.h"
#include "runtime/execution.h"
#include "runtime/outcome.h"
#include "wire.h"

#define EV_EXPORT(name) extern "C" __attribute__((export_name(#name), used))

namespace {

using eventuall::runtime::Execution;

struct Slot {
  Slot(eventuall::runtime::InstanceState& state, const eventuall::crypto::Seed& seed, double now)
      : execution(state, seed, static_cast<std::int64_t>(now)) {}
  Execution execution;
  std::string text;
};

struct Instance {
  eventuall::runtime::InstanceState state;
  std::unordered_map<std::uint32_t, std::unique_ptr<Slot>> slots;
  std::uint32_t next_handle = 1;
  std::string names;
  eventuall::d1::SqlIds sql_ids;
};

// What ev_start and ev_resume answer besides their return value, read by the
// shim from linear memory (ev_io) instead of through one call each: i32
// state (1 waiting on the batch in the text, 0 finished with the outcome in
// the text, -1 no such handle), the text's address and byte length, and the
// schema mask: the databases of the operation that passed the schema guard
// (same bits as ev_start's schema_confirmed; -1 while waiting).
struct Io {
  std::int32_t state;
  std::uint32_t text;
  std::uint32_t text_length;
  std::int32_t schema_confirmed;
};
Io io;

// Built on first use, never in a static initialiser.
Instance& instance() {
  static Instance* the_instance = new Instance();
  return *the_instance;
}

Slot* slot(std::uint32_t handle) {
  auto& slots = instance().slots;
  auto it = slots.find(handle);
  return it == slots.end() ? nullptr : it->second.get();
}

std::int32_t schema_mask(Slot& s);

void prepare_text(Slot& s) {
  const bool waiting = s.execution.waiting();
  s.text = waiting ? eventuall::d1::encode_batch(s.execution.pending_batch(), &instance().sql_ids)
                   : eventuall::runtime::outcome_text(s.execution.take_outcome());
  io.state = waiting ? 1 : 0;
  io.text = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(s.text.data()));
  io.text_length = static_cast<std::uint32_t>(s.text.size());
  io.schema_confirmed = waiting ? -1 : schema_mask(s);
}

}  // namespace

// The address of the Io block (four 32-bit words).
EV_EXPORT(ev_io) const Io* ev_io() { return &io; }

// Memory the shim writes inputs into. Returns 0 when memory cannot grow.
EV_EXPORT(ev_alloc) void* ev_alloc(std::uint32_t size) { return std::malloc(size ? size : 1); }
EV_EXPORT(ev_free) void ev_free(void* pointer) { std::free(pointer); }

// Schema masks: bit 0 the webapp database, bit 1 the workers database.
constexpr std::uint32_t kWebappBit = 1;
constexpr std::uint32_t kWorkersBit = 2;

// Starts an operation; 32 seed bytes come from crypto.getRandomValues and
// now_ms from Date.now(). schema_confirmed: the databases of this call the
// shim has seen pass the schema guard in this instance (it remembers them per
// binding; see Io::schema_confirmed), the others get the guard. Returns its
// handle (never 0).
EV_EXPORT(ev_start)
std::uint32_t ev_start(const char* name, std::uint32_t name_length, const char* input,
                       std::uint32_t input_length, const std::uint8_t* seed_bytes, double now_ms,
                       std::uint32_t schema_confirmed) {
  eventuall::crypto::Seed seed{};
  if (seed_bytes) std::memcpy(seed.data(), seed_bytes, seed.size());
  Instance& inst = instance();
  const std::uint32_t handle = inst.next_handle++;
  if (inst.next_handle == 0) inst.next_handle = 1;
  auto s = std::make_unique<Slot>(inst.state, seed, now_ms);
  Slot& ref = *s;
  ref.execution.context().set_schema_confirmed((schema_confirmed & kWebappBit) != 0,
                                               (schema_confirmed & kWorkersBit) != 0);
  inst.slots.emplace(handle, std::move(s));
  ref.execution.start(eventuall::ops::dispatch(
      ref.execution.context(), std::string(name ? name : "", name ? name_length : 0),
      std::string(input ? input : "", input ? input_length : 0)));
  prepare_text(ref);
  return handle;
}

// Hands back the batch's results (bytes, see wire.h) and runs to the next wait.
EV_EXPORT(ev_resume)
std::int32_t ev_resume(std::uint32_t handle, const std::uint8_t* result, std::uint32_t result_length) {
  Slot* s = slot(handle);
  if (!s || !s->execution.waiting()) {
    io = Io{-1, 0, 0, -1};
    return -1;
  }
  s->execution.resume(eventuall::d1::decode_batch_result(result, result ? result_length : 0));
  prepare_text(*s);
  return s->execution.waiting() ? 1 : 0;
}

namespace {
std::int32_t schema_mask(Slot& s) {
  const auto& ctx = s.execution.context();
  return (ctx.schema_confirmed(eventuall::sql::Database::kWebapp) ? kWebappBit : 0) |
         (ctx.schema_confirmed(eventuall::sql::Database::kWorkers) ? kWorkersBit : 0);
}
}  // namespace

EV_EXPORT(ev_release) void ev_release(std::uint32_t handle) { instance().slots.erase(handle); }

// Operations in flight, for tests of concurrency and leaks.
EV_EXPORT(ev_in_flight) std::uint32_t ev_in_flight() {
  return static_cast<std::uint32_t>(instance().slots.size());
}

// Heap bytes in use (the allocator's own count), for leak checks: flat once
// warm, however many operations have run.
EV_EXPORT(ev_heap_bytes) std::uint32_t ev_heap_bytes() {
  return static_cast<std::uint32_t>(mallinfo().uordblks);
}

// JSON array of operation names.
EV_EXPORT(ev_operation_names) const char* ev_operation_names() {
  Instance& inst = instance();
  if (inst.names.empty()) {
    eventuall::Json names = eventuall::Json::array();
    for (const auto& op : eventuall::ops::operations()) names.push_back(std::string(op.name));
    inst.names = eventuall::dump_json(names);
  }
  return inst.names.c_str();
}

// The largest input `name` accepts, in bytes (the shim refuses larger ones
// before copying them in; the core checks again).
EV_EXPORT(ev_max_input_bytes)
std::uint32_t ev_max_input_bytes(const char* name, std::uint32_t name_length) {
  return static_cast<std::uint32_t>(
      eventuall::ops::max_input_bytes(std::string_view(name ? name : "", name ? name_length : 0)));
}

#ifdef EVENTUALL_TEST_HOOKS
// Test-only: deterministic seeds and clock, as the native client's hook.
// Exported by eventuall_testing.wasm alone: the release eventuall.wasm is
// that module without this export (CMakeLists.txt), so nothing in production
// can make ids, tokens or the clock predictable.
EV_EXPORT(ev_set_deterministic_for_testing)
void ev_set_deterministic_for_testing(const std::uint8_t* seed_bytes, double start_ms) {
  eventuall::crypto::Seed seed{};
  if (seed_bytes) std::memcpy(seed.data(), seed_bytes, seed.size());
  instance().state.testing.enable(seed, static_cast<std::int64_t>(start_ms));
}
#endif  // EVENTUALL_TEST_HOOKS
