// The measuring loop both settings share: per operation, every side runs the
// same inputs in interleaved rounds (the side order rotates each round, so
// drift on a shared machine hits all sides alike); the figure is the median
// over rounds of the time per operation. Nothing here asserts a time.
import { OPERATIONS } from "./workload.mjs";

/**
 * @param {string[]} sides
 * @param {(side: string, op: string, first: number, count: number) => Promise<number>} runChunk
 *   runs inputs first..first+count-1 of `op` on `side`, resolves to elapsed milliseconds
 * @param {{warmup: number, rounds: number, chunk: number, ops?: string[]}} plan
 * @returns {Promise<Record<string, Record<string, number>>>} µs per operation: result[op][side]
 */
export async function measure(sides, runChunk, { warmup, rounds, chunk, ops = Object.keys(OPERATIONS) }) {
  const result = {};
  for (const op of ops) {
    let next = 0; // every side runs input i in the same position
    for (const side of sides) await runChunk(side, op, next, warmup);
    next += warmup;
    const samples = Object.fromEntries(sides.map((s) => [s, []]));
    for (let r = 0; r < rounds; r++) {
      const order = sides.map((_, i) => sides[(i + r) % sides.length]);
      for (const side of order) samples[side].push(((await runChunk(side, op, next, chunk)) * 1000) / chunk);
      next += chunk;
    }
    result[op] = Object.fromEntries(sides.map((s) => [s, median(samples[s])]));
  }
  return result;
}

/** How many inputs of each operation a plan uses (grant_access needs that many pool users). */
export const inputsNeeded = ({ warmup, rounds, chunk }) => warmup + rounds * chunk;

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
