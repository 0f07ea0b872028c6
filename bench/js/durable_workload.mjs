// The live-event burst shared by tests/js/durable.test.mjs and bench/js/durable_bench.mjs:
// N events recording at once, each with one session; a round is, for every event at the same
// time, one append_stage_events (every participant enters and leaves the stage) and one
// append_logs. Two layouts run the same calls: "d1" (every event's recording data in the one
// WORKERS_DB) and "durable" (each event in its own RecordingObject), through
// tests/js/workers/durable_test_worker.mjs's /burst route (all calls of a phase in flight at
// once in the Worker).
import { durablePost } from "../../tests/js/durable_support.mjs";

export const ACTOR = "seedusereventuall0000001";
export const ACCOUNT = "seedaccounteventuall0001";

async function burst(mf, layout, calls) {
  return durablePost(mf, "/burst", { layout, calls });
}

function okValues(phase, outcomes) {
  const failed = outcomes.find((o) => !o.ok);
  if (failed) throw new Error(`${phase}: ${JSON.stringify(failed.error)}`);
  return outcomes.map((o) => o.value);
}

/** Creates `events` events (webapp D1, shared by both layouts): [{eventId, roomId}]. */
export async function createEvents(mf, events) {
  const calls = Array.from({ length: events }, (_, i) => ({
    op: "create_event",
    input: { actorUserId: ACTOR, accountId: ACCOUNT, name: `Live ${i}`, rooms: [{ name: "Stage", kind: "stage" }] },
  }));
  return okValues("create_event", (await burst(mf, "d1", calls)).outcomes).map((v) => ({ eventId: v.event.id, roomId: v.rooms[0].id }));
}

/** One session per event in `layout`: [{eventId, sessionId}]. */
export async function startSessions(mf, layout, events) {
  const calls = events.map(({ eventId, roomId }) => ({
    eventId,
    op: "start_recording",
    input: { actorUserId: ACTOR, eventId, roomId, idempotencyKey: `burst-${eventId}` },
  }));
  const values = okValues("start_recording", (await burst(mf, layout, calls)).outcomes);
  return values.map((v) => ({ eventId: v.session.eventId, sessionId: v.session.id }));
}

/** Round `round`'s calls: per session, `participants` enter and leave, and `lines` log lines. */
export function roundCalls(sessions, round, { participants, lines }) {
  const calls = [];
  for (const { eventId, sessionId } of sessions) {
    const events = [];
    for (let p = 0; p < participants; p++) {
      const at = round * 10_000 + p;
      events.push({ participantId: `participant-${p}`, kind: "enter", offsetMs: at });
      events.push({ participantId: `participant-${p}`, kind: "exit", offsetMs: at + 5_000 });
    }
    calls.push({ eventId, op: "append_stage_events", input: { sessionId, events } });
    const logLines = Array.from({ length: lines }, (_, i) => ({
      level: i % 10 === 0 ? "warn" : "info",
      layer: "coordinator",
      message: `round ${round} line ${i}`,
      context: { round, i },
    }));
    calls.push({ eventId, op: "append_logs", input: { sessionId, lines: logLines } });
  }
  return calls;
}

/** Runs one round in `layout`; its outcomes (no ids in them) and node's wall time. */
export async function runRound(mf, layout, sessions, round, sizes) {
  const calls = roundCalls(sessions, round, sizes);
  const started = performance.now();
  const { outcomes } = await burst(mf, layout, calls);
  return { outcomes, ms: performance.now() - started, calls: calls.length, stageEvents: sessions.length * sizes.participants * 2, logLines: sessions.length * sizes.lines };
}

/** Per session, the clips paired from what the burst wrote (closeAtMs depends on the clock: left out). */
export async function clipsOf(mf, layout, sessions) {
  const calls = sessions.map(({ eventId, sessionId }) => ({ eventId, op: "generate_clips", input: { sessionId } }));
  return okValues("generate_clips", (await burst(mf, layout, calls)).outcomes).map(({ closeAtMs: _clock, ...rest }) => rest);
}
