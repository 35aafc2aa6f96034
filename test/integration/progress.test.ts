// Work-done progress the server creates (issue 16, "Progress and status"): while the fleet is indexed, while its
// contexts are found and evaluated, with percentages and "Evaluating contexts i/N"; the `fluxFleet/status`
// notification and request the VS Code status bar item reads; short work shows no progress by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveInProcess, type Progress } from '../helpers/inProcessServer';
import type { FleetStatusWire } from '../../server/src/lsp/fleetStatus';

const dir = path.resolve(__dirname, '../fixtures/fleet-tree');
const folders = ['hub', 'shop'].map((f) => path.join(dir, f));
const serve = (options: Record<string, unknown>, workDoneProgress: boolean | 'never answers' = true) => serveInProcess(folders, options, workDoneProgress);

test('progress: indexing, finding contexts and "Evaluating contexts i/N" with percentages, each begun and ended on a token the server created', async () => {
  const s = await serve({ progressAfterMs: 0 });
  try {
    await s.waitFor('an evaluation', () => s.logs.some((l) => /evaluated every context/.test(l)));
    await s.waitFor('every progress to end', () => s.created.every((t) => s.progress.some((p) => p.token === t && p.value.kind === 'end')));
    const byToken = new Map<string, Progress['value'][]>();
    for (const p of s.progress) byToken.set(p.token, [...(byToken.get(p.token) ?? []), p.value]);
    // Every progress is on a token the server created first, begins once and ends once.
    for (const [token, values] of byToken) {
      assert.ok(s.created.includes(token), `progress on a token the client never created: ${token}`);
      assert.equal(values[0].kind, 'begin');
      assert.equal(values.at(-1)!.kind, 'end');
      assert.equal(values.filter((v) => v.kind === 'begin').length, 1);
    }
    const begins = [...byToken.values()].map((v) => v[0]);
    assert.deepEqual(begins[0], { kind: 'begin', title: 'Flux Fleet', message: 'Indexing 2 workspace folders…' });
    const messages = [...byToken.values()].flat().map((v) => v.message ?? '');
    assert.ok(messages.some((m) => /^Finding contexts: \d+$/.test(m)), messages.join('\n'));
    // The fixture has six contexts: each cluster its root and apps; eu also tenants and team-a.
    const evaluation = [...byToken.values()].find((v) => v.some((x) => /^Evaluating contexts/.test(x.message ?? '')))!;
    assert.ok(evaluation, messages.join('\n'));
    const last = evaluation.filter((v) => v.kind !== 'end').at(-1)!;
    assert.equal(last.message, 'Evaluating contexts 6/6');
    assert.equal(last.percentage, 100);
    // The status: the counts, and evaluation state that ends with the evaluation.
    const status = await s.client.sendRequest<FleetStatusWire>('fluxFleet/status');
    assert.deepEqual(status, { repositories: 2, files: 15, indexing: false });
    assert.ok(s.statuses.some((x) => x.indexing), JSON.stringify(s.statuses));
    assert.ok(s.statuses.some((x) => x.evaluating?.total === 6), JSON.stringify(s.statuses));
    assert.equal(s.statuses.at(-1)!.evaluating, undefined);
  } finally {
    await s.stop();
  }
});

test('progress: by default short background work shows none (no progress per keystroke); a client without workDoneProgress gets no create request', async () => {
  const s = await serve({});
  try {
    await s.waitFor('an evaluation', () => s.logs.some((l) => /evaluated every context/.test(l)));
    const file = path.join(dir, 'shop/base/podinfo/release.yaml');
    const text = fs.readFileSync(file, 'utf8');
    await s.client.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(file).href, languageId: 'yaml', version: 1, text } });
    await s.client.sendNotification('textDocument/didChange', { textDocument: { uri: pathToFileURL(file).href, version: 2 }, contentChanges: [{ text: text + '# edit\n' }] });
    await new Promise((r) => setTimeout(r, 1500));
    const messages = s.progress.map((p) => p.value.message ?? '');
    // Indexing always shows (the first thing a user waits for); evaluations of a few milliseconds do not.
    assert.ok(messages.includes('Indexing 2 workspace folders…'), messages.join('\n'));
    assert.ok(!messages.some((m) => /^Evaluating/.test(m)), messages.join('\n'));
    assert.ok(!s.statuses.some((x) => x.evaluating), JSON.stringify(s.statuses));
  } finally {
    await s.stop();
  }
  const quiet = await serve({ progressAfterMs: 0 }, false);
  try {
    await quiet.waitFor('an evaluation', () => quiet.logs.some((l) => /evaluated every context/.test(l)));
    assert.deepEqual(quiet.created, []);
    assert.deepEqual(quiet.progress, []);
    // The status notification is the client's own (VS Code's status bar): sent whatever the capability.
    assert.ok(quiet.statuses.length > 0);
  } finally {
    await quiet.stop();
  }
});

test('progress: a client that never answers the create request does not hold the index back', async () => {
  const s = await serve({}, 'never answers');
  try {
    const started = Date.now();
    await s.waitFor('an evaluation', () => s.logs.some((l) => /evaluated every context/.test(l)));
    assert.ok(Date.now() - started < 20_000);
    assert.deepEqual(await s.client.sendRequest<FleetStatusWire>('fluxFleet/status'), { repositories: 2, files: 15, indexing: false });
    assert.deepEqual(s.progress, []);
  } finally {
    await s.stop();
  }
});
