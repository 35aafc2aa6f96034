// The server's background jobs (evaluation, publishing, change impact) take their turns in one line (core/steps.ts
// sharedTurns): a request that arrives while one job works is answered before any job's next unit. With a turn of
// its own each, the other jobs' turns queued before the request's dispatch ran their units first (at 4x the
// synthetic fleet a hover waited two or three units, of up to a few hundred ms each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextTurn, runStepsAsync, sharedTurns, type Steps } from '../../server/src/core/steps';

/**
 * A job of `units` units; each unit logs itself and has a request arrive as the LSP reader delivers one: read in the
 * next loop iteration (here its timers phase, before the poll phase where a socket's data is read), dispatched by an
 * immediate queued then.
 */
function* job(name: string, units: number, log: string[]): Steps<void> {
  for (let i = 1; i <= units; i++) {
    log.push(`${name}${i}`);
    setTimeout(() => setImmediate(() => log.push(`request after ${name}${i}`)), 0);
    const until = performance.now() + 2; // past the timer's 1 ms: it fires in the next iteration
    while (performance.now() < until);
    yield;
  }
}

/** The units that ran between a request's arrival (during a unit) and its answer. */
function unitsAhead(log: string[]): number[] {
  return log.flatMap((entry, i) => {
    const after = /^request after (.+)$/.exec(entry)?.[1];
    return after ? [log.slice(log.indexOf(after) + 1, i).filter((e) => !e.startsWith('request')).length] : [];
  });
}

test('with one line of turns, a request arriving during a unit of one job is answered before the next unit of any job', async () => {
  const log: string[] = [];
  const turn = sharedTurns();
  await Promise.all([runStepsAsync(job('evaluate', 4, log), undefined, turn), runStepsAsync(job('impact', 4, log), undefined, turn), runStepsAsync(job('publish', 4, log), undefined, turn)]);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(log.filter((e) => !e.startsWith('request')).length, 12, log.join(', '));
  assert.equal(log.filter((e) => e.startsWith('request')).length, 12, log.join(', '));
  assert.deepEqual(unitsAhead(log), Array(12).fill(0), log.join(', '));
});

test('with a turn of its own each, the other jobs run units before the request (what the line is for)', async () => {
  const log: string[] = [];
  await Promise.all([runStepsAsync(job('evaluate', 4, log), undefined, nextTurn), runStepsAsync(job('impact', 4, log), undefined, nextTurn)]);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(unitsAhead(log).some((n) => n > 0), log.join(', '));
});
