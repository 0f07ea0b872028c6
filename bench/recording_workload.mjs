// The recording workload shared by the wasm benches (sql.js and workerd), the
// same as recording_bench.cpp's: every participant alternates enter/exit every
// 5 s, and every 10th participant's 50th exit is turned into a repeated enter.
export const EVENTS_PER_PARTICIPANT = 100;
export const EVENTS_PER_CALL = 10_000;

export function benchStageEvents(participants) {
  const events = [];
  for (let k = 0; k < EVENTS_PER_PARTICIPANT; k++) {
    for (let p = 0; p < participants; p++) {
      let kind = k % 2 === 0 ? "enter" : "exit";
      if (p % 10 === 0 && k === 49) kind = "enter";
      events.push({ participantId: `participant-${p}`, kind, offsetMs: k * 5000 + p });
    }
  }
  return events;
}
