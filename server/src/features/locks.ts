// Hover for locks: on a declaration (`# fleet:locked` key, a `locks:`/`required:` path in .flux-fleet.yaml), what
// it locks, who may override it and where it is overridden; on a value that a lock, required field or extension
// point covers (in any file a context builds from), the lock, its reason and origin, and the locked value; on a
// removal (a JSON 6902 `remove`, a strategic-merge `key: null` or `$patch: delete`), the locks on what it deletes.
import type { Fleet } from '../core/model';
import type { Json, Provenance } from '../core/kustomize/types';
import type { Span } from '../core/text';
import { lockIndex, dottedPath } from '../core/locks/index';
import { contextsWriting, instancesOf, locksFindings, lockFindingDetail, policyScope, removedLeavesOf, targetsOf, withRemoved, type Instance, type RemovedLeaf, type Target } from '../core/locks/check';
import { patchNodeSpan } from '../core/locks/yamlText';
import type { Lock } from '../core/locks/types';
import { parsePointer, isAtOrUnder, valueAt } from '../core/kustomize/provenance';
import { isSecretPlace, shownRemoved, shownWrite } from '../core/redact';
import { displayPath, lineOf } from './describe';
import type { ValuesFeed } from './completionFleet';
import { writingStep, type Layer } from '../core/layer';
import { contextShortLabel } from '../core/evaluate/contextId';
import { contextsReaching } from './locksReaching';

export { lockCodeActions, type LockCodeAction } from './locksFixes';
export { contextsWriting } from '../core/locks/check';

const TITLES: Record<Lock['kind'], string> = { locked: '🔒 Locked field', required: 'Required field', extension: 'Extension point' };

function where(fleet: Fleet, p: { file: string; span?: Span }): string {
  return p.span ? `${displayPath(fleet, p.file)}:${lineOf(fleet, p.file, p.span.start)}` : displayPath(fleet, p.file);
}

function show(v: Json | undefined): string {
  if (v === undefined) return 'unset';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}

function declaration(fleet: Fleet, lock: Lock): string {
  const how = lock.origin === 'inline' ? `\`# fleet:${lock.kind}\`` : `the \`${lock.kind === 'required' ? 'required' : 'locks'}\` policy`;
  return `declared by ${how} at \`${where(fleet, lock)}\``;
}

/** What a hover says about one lock (its title line, reason, origin and scope). */
export function describeLock(fleet: Fleet, lock: Lock, field?: string): string[] {
  const lines = [`**${TITLES[lock.kind]}** \`${field ?? lock.path}\`${lock.reason ? ` — ${lock.reason}` : ''}`];
  lines.push(`- ${declaration(fleet, lock)}`);
  if (lock.kind === 'locked') lines.push(`- overrides allowed only in \`${lock.allowIn.join('`, `')}\``);
  if (lock.kind === 'required') lines.push('- must be set in every context that deploys it');
  if (lock.kind === 'extension') lines.push('- tenants are invited to add here');
  return lines;
}

export interface LockAnswer {
  lock: Lock;
  /** The field, dotted from the resource root. */
  field: string;
  owner: string;
  contexts: string[];
  /** The locked value (last write the lock allows), per answer. */
  locked?: Json;
  /** The value this file writes here. */
  written?: Json;
  /**
   * When this file removes the field: the removed subtree (dotted) and whether it is the field itself, a parent
   * holding it, or a part of it.
   */
  removed?: { field: string; is: 'field' | 'parent' | 'part' };
  span: Span;
}

/**
 * Where a removal shows in its file: its span (inside a Flux patch's block scalar, the node the removal deleted —
 * the JSON 6902 operation, the `null`, the map holding `$patch`), from the start of its line's content (the key of a
 * `key: null` or `$patch: delete`, the `- ` of an operation).
 */
function removalArea(fleet: Fleet, r: { file: string; span?: Span; layer: Layer }, removedAt: string): Span | undefined {
  const text = fleet.facts.get(r.file)?.text;
  if (!r.span || text === undefined) return undefined;
  let span = r.span;
  if (writingStep(r.layer) === 'flux:patches' && /^[|>]/.test(text.slice(span.start, span.start + 1))) span = patchNodeSpan(r.file, text, span, removedAt) ?? span;
  let start = text.lastIndexOf('\n', span.start - 1) + 1;
  while (start < span.start && /[ \t]/.test(text[start])) start++;
  let end = span.end;
  while (end > span.start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/**
 * Locks on what this file removes at `offset` (a JSON 6902 `remove`, a strategic-merge `key: null` or
 * `$patch: delete`) in one target: the removed leaves put back (as the lock check does) to find the locks on them.
 */
function removalAnswers(fleet: Fleet, file: string, offset: number, target: Target, targets: Target[], index: ReturnType<typeof lockIndex>, found: (a: Omit<LockAnswer, 'contexts'>) => void, owner: string): void {
  if (!target.resource.removed?.size) return;
  const areas = new Map<string, Span | undefined>();
  const leaves: RemovedLeaf[] = [];
  for (const leaf of removedLeavesOf(target)) {
    if (leaf.removal.file !== file) continue;
    if (!areas.has(leaf.removedAt)) areas.set(leaf.removedAt, removalArea(fleet, leaf.removal, leaf.removedAt));
    const area = areas.get(leaf.removedAt);
    if (area && offset >= area.start && offset <= area.end) leaves.push(leaf);
  }
  if (!leaves.length) return;
  const augmented = targets.map((t) => (t === target ? withRemoved(t, leaves) ?? t : t));
  const instances = instancesOf(index, augmented[targets.indexOf(target)], augmented);
  for (const leaf of leaves) {
    for (const [p, list] of instances) {
      if (!isAtOrUnder(leaf.ptr, p)) continue;
      const full = target.prefix + p;
      const is = full === leaf.removedAt ? 'field' : isAtOrUnder(full, leaf.removedAt) ? 'parent' : 'part';
      for (const inst of list) {
        // The locked value: on the removed leaf itself, the last write the lock allowed (as the check says);
        // on a subtree, what the removal took of it.
        const allowed = leaf.ptr === p ? leaf.stack.filter((w) => inst.lock.allows(w.file)) : [];
        const value = allowed.length ? allowed[allowed.length - 1].value : isAtOrUnder(full, leaf.removedAt) ? valueAt(leaf.removal.value, full.slice(leaf.removedAt.length)) : leaf.removal.value;
        // Shown masked where secret (core/redact.ts): the removed leaf's writes say so, or its place in the object.
        const shownAt = allowed.length || isAtOrUnder(full, leaf.removedAt) ? full : leaf.removedAt;
        const locked = value === undefined ? undefined : shownRemoved(target.resource.obj, shownAt, value, leaf.stack.some((w) => w.secret));
        found({ lock: inst.lock, field: dottedPath(parsePointer(full)), owner, locked, removed: { field: dottedPath(parsePointer(leaf.removedAt)), is }, span: areas.get(leaf.removedAt)! });
      }
    }
  }
}

/**
 * Locks covering the value at `offset` of `file`, in every context that builds it; or the locks on what the
 * removal at `offset` deletes.
 */
export function locksAt(fleet: Fleet, file: string, offset: number, reach = true): LockAnswer[] {
  const allIndex = lockIndex(fleet);
  if (allIndex.empty) return [];
  const answers = new Map<string, LockAnswer>();
  // reach = false: every context built whole, the reference the reach-limited answers equal (hoverReuse.test.ts).
  const contexts = reach ? contextsReaching(fleet, file, 60) : contextsWriting(fleet, file, 60).map((ctx) => ({ ctx, resources: ctx.build.resources }));
  for (const { ctx, resources } of contexts) {
    const index = policyScope(fleet, allIndex, ctx);
    for (const r of resources) {
      const targets = targetsOf(fleet, r, resources);
      const id = r.obj.metadata as { name?: string; namespace?: string } | undefined;
      const owner = `${r.obj.kind} ${id?.namespace ? id.namespace + '/' : ''}${id?.name ?? ''}`;
      for (const target of targets) {
        removalAnswers(fleet, file, offset, target, targets, index, (a) => {
          const key = `${a.lock.id}|${a.field}|${a.span.start}|removed`;
          const cur = answers.get(key);
          if (!cur) answers.set(key, { ...a, contexts: [contextShortLabel(ctx.id)] });
          else if (!cur.contexts.includes(contextShortLabel(ctx.id))) cur.contexts.push(contextShortLabel(ctx.id));
        }, owner);
        let instances: ReadonlyMap<string, Instance[]> | undefined;
        // Writes of this file at the offset; the narrowest wins.
        const hits: Array<{ ptr: string; w: Provenance & { value: Json }; span: Span }> = [];
        for (const [ptr, stack] of target.prov) {
          if (target.skipValues && isAtOrUnder(ptr, '/spec/values')) continue;
          for (const w of stack) {
            if (w.file !== file || !w.span || offset < w.span.start || offset > w.span.end) continue;
            let span = w.span;
            if (writingStep(w.layer) === 'flux:patches' && /^[|>]/.test(fleet.facts.get(file)?.text.slice(w.span.start, w.span.start + 1) ?? '')) {
              const text = fleet.facts.get(file)?.text;
              span = (text && patchNodeSpan(file, text, w.span, target.prefix + ptr)) || w.span;
              if (offset < span.start || offset > span.end) continue;
            }
            hits.push({ ptr, w, span });
          }
        }
        if (!hits.length) continue;
        const narrowest = Math.min(...hits.map((h) => h.span.end - h.span.start));
        for (const h of hits.filter((x) => x.span.end - x.span.start === narrowest)) {
          instances ??= instancesOf(index, target, targets);
          const stack = target.prov.get(h.ptr) ?? [];
          let p: string | undefined = h.ptr;
          for (;;) {
            for (const inst of instances.get(p) ?? []) {
              const field = dottedPath(parsePointer(target.prefix + h.ptr));
              const key = `${inst.lock.id}|${field}|${h.span.start}`;
              const allowed = stack.filter((w) => inst.lock.allows(w.file));
              // A Secret's key, a SOPS document's value or a secret write is shown masked (core/redact.ts).
              const place = target.prefix === '' && isSecretPlace(target.resource.obj, h.ptr);
              const last = allowed[allowed.length - 1];
              const locked = last ? shownWrite(last, place) : inst.declared ? valueAt(inst.declared.value ?? null, h.ptr.slice(inst.pointer.length)) : undefined;
              const cur = answers.get(key);
              if (cur) {
                if (!cur.contexts.includes(contextShortLabel(ctx.id))) cur.contexts.push(contextShortLabel(ctx.id));
              } else {
                answers.set(key, { lock: inst.lock, field, owner, contexts: [contextShortLabel(ctx.id)], locked, written: shownWrite(h.w, place), span: h.span });
              }
            }
            if (p === '') break;
            p = p.slice(0, p.lastIndexOf('/'));
          }
        }
      }
    }
  }
  for (const a of answers.values()) a.contexts.sort();
  return [...answers.values()];
}

/** Hover markdown for a lock declaration under the cursor, or for the locks covering the value there. */
export function lockHover(fleet: Fleet, file: string, offset: number): { span: Span; markdown: string } | undefined {
  const index = lockIndex(fleet);
  if (index.empty) return undefined;
  // A declaration: an inline mark (its key or comment) or a policy path.
  const declared: Array<{ lock: Lock; span: Span }> = [];
  for (const mark of index.marks.get(file) ?? []) {
    const inKey = offset >= mark.keySpan.start && offset <= mark.keySpan.end;
    const inComment = offset >= mark.commentSpan.start && offset <= mark.commentSpan.end;
    if (inKey || inComment) declared.push({ lock: index.markLocks.get(mark)!, span: inKey ? mark.keySpan : mark.commentSpan });
  }
  for (const { locks } of index.rules) for (const l of locks) if (l.file === file && offset >= l.span.start && offset <= l.span.end) declared.push({ lock: l, span: l.span });
  if (declared.length) {
    const lines: string[] = [];
    for (const { lock } of declared) {
      lines.push(...describeLock(fleet, lock));
      if (lock.kind !== 'extension') {
        const findings = locksFindings(fleet).filter((f) => lockFindingDetail(fleet, f)?.locks.some((l) => l.id === lock.id));
        if (findings.length) {
          lines.push(`- ${lock.kind === 'locked' ? 'overridden outside the allowed scope' : 'missing'} at ${findings.length} place${findings.length === 1 ? '' : 's'}:`);
          for (const f of findings.slice(0, 5)) lines.push(`  - \`${where(fleet, f)}\` (${f.code})`);
          if (findings.length > 5) lines.push(`  - … ${findings.length - 5} more`);
        }
      }
      lines.push('');
    }
    return { span: declared[0].span, markdown: lines.join('\n').trim() };
  }
  const answers = locksAt(fleet, file, offset);
  if (!answers.length) return undefined;
  const order: Record<Lock['kind'], number> = { locked: 0, required: 1, extension: 2 };
  answers.sort((a, b) => order[a.lock.kind] - order[b.lock.kind]);
  const lines: string[] = [];
  for (const a of answers) {
    lines.push(...describeLock(fleet, a.lock, a.field));
    if (a.removed !== undefined) {
      const how = a.removed.is === 'field' ? 'removes it' : a.removed.is === 'parent' ? `removes \`${a.removed.field}\`, and this field with it` : `removes \`${a.removed.field}\`, a part of this field`;
      const allowed = a.lock.kind === 'locked' && a.lock.allows(file) ? '; this file is allowed to' : '';
      lines.push(`- ${a.lock.kind === 'locked' ? `locked value ${show(a.locked)}; ` : ''}this patch ${how}${allowed} (${a.owner}, in ${a.contexts.length} context${a.contexts.length === 1 ? '' : 's'}: ${a.contexts.slice(0, 3).join(', ')}${a.contexts.length > 3 ? ', …' : ''})`);
    } else if (a.lock.kind === 'locked') {
      const allowedHere = a.lock.allows(file);
      lines.push(`- locked value ${show(a.locked)}; ${allowedHere ? 'this file is allowed to set it' : `here ${show(a.written)}`} (${a.owner}, in ${a.contexts.length} context${a.contexts.length === 1 ? '' : 's'}: ${a.contexts.slice(0, 3).join(', ')}${a.contexts.length > 3 ? ', …' : ''})`);
    }
    lines.push('');
  }
  return { span: answers[0].span, markdown: lines.join('\n').trim() };
}

export interface KeyAdvice {
  /** Child keys this file may not set (completion leaves them out). */
  locked: Map<string, Lock>;
  /** Child keys that must be set (completion offers them first). */
  required: Map<string, Lock>;
  /** Child keys that are extension points (completion documents them). */
  extension: Map<string, Lock>;
}

/**
 * For completion in a patch or manifest: which keys directly below `path` of a document of `kind`/`name`/`namespace`
 * are locked for `file`, required, or extension points — from the policy rules that select the document and from
 * inline marks in manifests of the same kind and name. A HelmRelease's values are under `spec.values`; marks in
 * files without a kind that write into them (a chart's values.yaml) count when given as `valueSources`, with the
 * place of their root under `spec.values`.
 */
export function lockKeyAdvice(
  fleet: Fleet,
  file: string,
  doc: { kind?: string; name?: string; namespace?: string },
  path: ReadonlyArray<string | number>,
  valueSources: ReadonlyArray<{ file: string; prefix: ReadonlyArray<string> }> = [],
): KeyAdvice {
  const out: KeyAdvice = { locked: new Map(), required: new Map(), extension: new Map() };
  const index = lockIndex(fleet);
  if (index.empty || !doc.kind) return out;
  const at = path.map(String);
  const put = (lock: Lock, key: string) => {
    if (lock.kind === 'locked' && lock.allows(file)) return;
    const map = lock.kind === 'locked' ? out.locked : lock.kind === 'required' ? out.required : out.extension;
    if (!map.has(key)) map.set(key, lock);
  };
  for (const { locks, matches } of index.rules) {
    if (!matches(doc.kind, doc.name ?? '', doc.namespace ?? '')) continue;
    for (const lock of locks) {
      const segs = lock.rulePath.segments;
      if (segs.length !== at.length + 1) continue;
      const prefixOk = at.every((p, i) => {
        const s = segs[i];
        return 'any' in s || 'select' in s || ('key' in s && s.key === p);
      });
      const last = segs[at.length];
      if (prefixOk && 'key' in last) put(lock, last.key);
    }
  }
  for (const [markedFile, marks] of index.marks) {
    const facts = fleet.facts.get(markedFile);
    for (const mark of marks) {
      if (mark.path.length !== at.length + 1 || !at.every((p, i) => String(mark.path[i]) === p)) continue;
      const o = facts?.objects.find((x) => x.owner.doc === mark.doc);
      if (!o || o.kind !== doc.kind || (doc.name !== undefined && o.name !== doc.name)) continue;
      put(index.markLocks.get(mark)!, String(mark.path[at.length]));
    }
  }
  for (const src of valueSources) {
    const base = ['spec', 'values', ...src.prefix];
    for (const mark of index.marks.get(src.file) ?? []) {
      const full = [...base, ...mark.path.map(String)];
      if (full.length !== at.length + 1 || !at.every((p, i) => full[i] === p)) continue;
      put(index.markLocks.get(mark)!, full[at.length]);
    }
  }
  return out;
}

/**
 * Key advice for a values file (no kind): the advice of `spec.values.<where the file lands>.<path>` for every
 * HelmRelease it feeds (a key locked or required for one of them is for the file).
 */
export function valuesFileKeyAdvice(fleet: Fleet, file: string, feeds: ReadonlyArray<ValuesFeed>, path: ReadonlyArray<string | number>): KeyAdvice {
  const out: KeyAdvice = { locked: new Map(), required: new Map(), extension: new Map() };
  for (const f of feeds) {
    const a = lockKeyAdvice(fleet, file, f.release, ['spec', 'values', ...f.prefix, ...path.map(String)], f.sources);
    for (const k of ['locked', 'required', 'extension'] as const) for (const [key, lock] of a[k]) if (!out[k].has(key)) out[k].set(key, lock);
  }
  return out;
}
