// Secrets never leave the engine. The engine keeps real values (kustomize hashes a generated Secret's data, Flux
// substitutes a Secret's keys), and marks what is secret: a Secret's data and stringData, every value of a
// SOPS-encrypted document, SOPS ciphertext anywhere, and every write that carries one of those on (a postBuild
// substitution of a Secret's key, a replacement copying a Secret's field, values read from a Secret) has
// `Provenance.secret`. Everything that shows a value — CLI printers, hovers, completion, finding messages — goes
// through this module, which masks what is marked. A secret inside a longer string masks only the secret part
// (`postgres://app:••••@db`, kept in `Provenance.masked` by the substitution); a secret a later step changed again,
// or one an operator transformed (`${PASSWORD:0:3}`), masks the whole string.
import type { Json, JsonObject, Provenance, ProvenanceMap, Resource } from './kustomize/types';
import { escapeSegment } from './kustomize/provenance';

/** What is shown instead of a secret value. */
export const MASK = '••••';

type Write = Provenance & { value: Json };

/** A document SOPS encrypted: a top-level `sops:` map with its `mac` or `lastmodified`. */
export function isSopsDocument(doc: unknown): boolean {
  const sops = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as JsonObject).sops : undefined;
  return !!sops && typeof sops === 'object' && !Array.isArray(sops) && ('mac' in sops || 'lastmodified' in sops);
}

/** The text of a SOPS-encrypted YAML file (a values file a ConfigMap holds), without parsing it. */
export function isSopsText(text: string): boolean {
  return /^sops:[ \t]*$/m.test(text) && /^[ \t]+(mac|lastmodified):/m.test(text);
}

/** SOPS ciphertext (`ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`), alone or inside a longer string. */
export function isCiphertext(v: unknown): boolean {
  return typeof v === 'string' && /ENC\[[A-Z0-9_]+,data:/.test(v);
}

/** A string with each SOPS ciphertext in it masked (a values file holding one encrypted value stays readable). */
function maskCiphertext(v: string): string {
  return v.replace(/ENC\[[A-Z0-9_]+,data:[^\]]*\]?/g, MASK);
}

/** A Secret, or a document kept SOPS-encrypted in Git: what a values layer or substituteFrom reads from it is secret. */
export function isSecretSource(obj: JsonObject): boolean {
  return obj.kind === 'Secret' || isSopsDocument(obj);
}

/** The write that decided the value at `pointer`: its own, else the nearest ancestor's (a subtree written whole). */
export function writeAt(prov: ProvenanceMap, pointer: string): Write | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const w = prov.get(p)?.at(-1);
    if (w || p === '') return w;
  }
}

/** What identifies a document: shown in a SOPS-encrypted one unless encrypted too. */
const IDENTITY: ReadonlySet<string> = new Set(['/apiVersion', '/kind', '/metadata/name', '/metadata/namespace']);

/** A Secret's data or stringData, any value of a SOPS-encrypted document: secret whatever wrote it. */
export function isSecretPlace(obj: JsonObject, pointer: string): boolean {
  return (obj.kind === 'Secret' && /^\/(data|stringData)(\/|$)/.test(pointer)) || (isSopsDocument(obj) && !IDENTITY.has(pointer));
}

/** Whether the value at `pointer` of a built resource is secret (its value is passed when the caller has it). */
export function isSecretLeaf(r: Pick<Resource, 'obj' | 'prov'>, pointer: string, value?: Json): boolean {
  if (isSecretPlace(r.obj, pointer)) return true;
  if (writeAt(r.prov, pointer)?.secret) return true;
  return isCiphertext(value);
}

/** A leaf of a built resource as it may be shown. */
export function shownLeaf(r: Pick<Resource, 'obj' | 'prov'>, pointer: string, value: Json): Json {
  if (!isSecretLeaf(r, pointer, value)) return value;
  if (!isSecretLeaf(r, pointer)) return maskCiphertext(value as string); // only ciphertext in it
  // Only a substitution's own write knows which part was secret, and only while the value is still what it wrote.
  const w = r.prov.get(pointer)?.at(-1);
  const partial = w?.secret && w.masked !== undefined && w.value === value && !isSecretPlace(r.obj, pointer);
  return partial ? maskCiphertext(w.masked!) : MASK;
}

/** One write of a provenance stack (a value some layer overrode) as it may be shown; `secret` when its place is. */
export function shownWrite(w: Write, secret = false): Json {
  if (secret) return MASK;
  if (w.secret) return w.masked !== undefined ? maskCiphertext(w.masked) : MASK;
  return isCiphertext(w.value) ? maskCiphertext(w.value as string) : w.value;
}

/** A value string as it may be shown, when its provenance says whether it is secret (a variable's value). */
export function shownString(value: string, secret: boolean | undefined): string {
  return secret || isCiphertext(value) ? MASK : value;
}

function mapLeaves(node: Json, pointer: string, leaf: (pointer: string, value: Json) => Json): Json {
  if (Array.isArray(node)) return node.map((v, i) => mapLeaves(v, `${pointer}/${i}`, leaf));
  if (node && typeof node === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) out[k] = mapLeaves(v, `${pointer}/${escapeSegment(k)}`, leaf);
    return out;
  }
  return leaf(pointer, node);
}

/** A copy of the resource whose object has every secret leaf masked (keys kept): what printers print. */
export function redactResource<R extends Pick<Resource, 'obj' | 'prov'>>(r: R): R {
  return { ...r, obj: mapLeaves(r.obj, '', (p, v) => shownLeaf(r, p, v)) as JsonObject };
}

/** The resources as they may be printed. */
export function redactResources<R extends Pick<Resource, 'obj' | 'prov'>>(resources: readonly R[]): R[] {
  return resources.map(redactResource);
}

/** Values (a HelmRelease's or App's effective values, or a part below `base`) with every secret leaf masked. */
export function redactValues(values: Json, prov: ProvenanceMap, base = ''): Json {
  return mapLeaves(values, base, (p, v) => {
    const w = writeAt(prov, p);
    if (!w?.secret) return isCiphertext(v) ? maskCiphertext(v as string) : v;
    return prov.has(p) && w.value === v ? shownWrite(w) : MASK;
  });
}

/**
 * A value that is no longer in the built object (a subtree a patch removed) as it may be shown: `value` was at
 * `pointer` of `obj`; masked whole when `secret` (a write that carried a secret), else each leaf at a secret place
 * (a Secret's data, a SOPS document) and each ciphertext.
 */
export function shownRemoved(obj: JsonObject, pointer: string, value: Json, secret = false): Json {
  if (secret) return MASK;
  return mapLeaves(value, pointer, (p, v) => (isSecretPlace(obj, p) ? MASK : isCiphertext(v) ? maskCiphertext(v as string) : v));
}

/** Whether a value as shown holds a mask (completion offers no such value to insert). */
export function isMasked(v: Json | undefined): boolean {
  return typeof v === 'string' && v.includes(MASK);
}
