// Multi-file, multi-repository fixtures written as one string:
//   //- platform/clusters/prod/kustomization.yaml
//   resources: [../../apps]
// `$0` marks a cursor (removed from the text; its offset is returned).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Fleet } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { offsetToLineCol, computeLineStarts } from '../../server/src/core/text';
import { tempDir } from './tempDir';

export interface Materialized {
  dir: string;
  cursor?: { file: string; offset: number };
  file(rel: string): string;
}

export function materialize(spec: string): Materialized {
  const dir = tempDir('ff-fixture-');
  let cursor: Materialized['cursor'];
  const parts = spec.split(/^\/\/- (.+)$/m);
  for (let i = 1; i < parts.length; i += 2) {
    const rel = parts[i].trim();
    let body = parts[i + 1].replace(/^\n/, '');
    const at = body.indexOf('$0');
    const file = path.join(dir, rel);
    if (at >= 0) {
      body = body.slice(0, at) + body.slice(at + 2);
      cursor = { file, offset: at };
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (rel.endsWith('/.git/config')) fs.writeFileSync(path.join(path.dirname(file), 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(file, body);
  }
  return { dir, cursor, file: (rel) => path.join(dir, rel) };
}

export function loadFleet(dir: string, roots?: string[]): Fleet {
  const fleet = new Fleet(new NodeFileSystem(), { roots: roots ?? [dir] });
  fleet.load();
  return fleet;
}

/** `code file:line:col` lines for every finding, relative to `dir`, sorted: easy to compare in assertions. */
export function findingLines(fleet: Fleet, dir: string): string[] {
  return fleet.links.findings
    .map((f) => {
      const text = fleet.facts.get(f.file)?.text ?? '';
      const pos = offsetToLineCol(computeLineStarts(text), f.span.start);
      return `${f.code} ${path.relative(dir, f.file)}:${pos.line + 1}:${pos.character + 1}`;
    })
    .sort();
}

/** The text a span covers. */
export function spanText(fleet: Fleet, file: string, span: { start: number; end: number }): string {
  return (fleet.facts.get(file)?.text ?? '').slice(span.start, span.end);
}

/** A copy of `test/fixtures/<name>` in a fresh temporary folder (tests that edit or move its files). */
export function copyFixture(name: string): string {
  const m = materialize('//- .keep\n');
  fs.cpSync(path.resolve(__dirname, '../fixtures', name), path.join(m.dir, name), { recursive: true });
  return path.join(m.dir, name);
}
