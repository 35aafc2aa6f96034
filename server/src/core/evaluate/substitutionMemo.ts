// postBuild substitution of a cached build's object, once per distinct variable values it reads (fluxBuild.ts
// substituteAll). The contexts of one folder (a tenant's staging folder deployed by 20 clusters) share the folder
// build's objects; what substitution makes of one depends only on that object and on the variables its strings name
// (value, secret, and where a value that makes up a whole string was defined). Contexts that agree on those get the
// same substituted object and provenance map, and the same variable uses (re-made for their own resource), instead
// of a copy each: the HelmRelease values and findings passes then see one object (helmValues.ts helmReleaseValues).
import type { FleetDb } from '../../db/fleetDb';
import type { JsonObject, ProvenanceMap, Resource } from '../kustomize/types';
import type { FluxBuild, VariableIssue } from './fluxBuild';
import { internPointer } from '../kustomize/provenance';

/** A use of a variable as substituteAll records it, without the resource (each context's own). */
type Use = Omit<VariableIssue, 'resource'>;

export interface Substituted {
  /** What the object was before (the cached build's). */
  prov0: ProvenanceMap;
  origin0: Resource['origin'];
  removed0: Resource['removed'];
  /** What substitution made of it. */
  obj: JsonObject;
  prov: ProvenanceMap;
  uses: Use[];
  undefinedUses: Use[];
  unknownUses: Use[];
}

/** The names `${…}` expressions of an object's `$` strings may read (a superset), and those a whole string is made of. */
export interface NamesRead {
  names: string[];
  whole: ReadonlySet<string>;
}

/** Variants kept per object (a variable per cluster makes one per cluster): the oldest go. */
const MAX_VARIANTS = 64;

const NAME_READ = /\$\{#?([_a-zA-Z][_a-zA-Z0-9]*)/g;
const WHOLE = /^\$\{#?([_a-zA-Z][_a-zA-Z0-9]*)[^}]*\}$/;

export function namesRead(strings: ReadonlyArray<{ value: string }>): NamesRead {
  const names = new Set<string>();
  const whole = new Set<string>();
  for (const { value } of strings) {
    for (const m of value.matchAll(NAME_READ)) names.add(m[1]);
    const w = WHOLE.exec(value);
    if (w) whole.add(w[1]);
  }
  return { names: [...names].sort(), whole };
}

/**
 * One build's memo: keys made of what its variables are (each variable's part made once per build), variants
 * found and kept per cached object.
 */
export function substitutionMemo(db: FleetDb, out: FluxBuild) {
  // Tables asked for on use (a build that substitutes nothing shared uses neither).
  const namesTable = () => db.weak<object, NamesRead>('substitutionNames');
  const variants = () => db.weak<JsonObject, Map<string, Substituted>>('substituted');
  const parts = new Map<string, string>();
  const unknown = out.opaqueSources.length > 0 ? 'u' : 'k';
  const part = (name: string, whole: boolean): string => {
    const k = whole ? '+' + name : name;
    let p = parts.get(k);
    if (p === undefined) {
      const v = out.variables.get(name);
      // Where the value was written matters only when it alone makes up a string (its write is the variable's then).
      p = v === undefined ? `${name}!` : `${name}=${v.secret ? 's' : ''}${v.value.length}:${v.value}${whole ? JSON.stringify(v.from) : ''}`;
      parts.set(k, p);
    }
    return p;
  };
  return {
    /** The key of what substituting `strings` (an object's, found once per object) reads of this build's variables. */
    key(strings: ReadonlyArray<{ value: string }>): string {
      return this.keyOf(namesTable().getOrMake(strings, () => namesRead(strings)));
    },
    /**
     * The key of what reading `read` takes of this build's variables. Two builds with one key for the names every
     * object of a selection reads (a name whole in any of them taken whole) have one key for each object too.
     */
    keyOf(read: NamesRead): string {
      let key = unknown;
      for (const n of read.names) key += '\0' + part(n, read.whole.has(n));
      return key;
    },
    get(r: Resource, key: string): Substituted | undefined {
      const hit = variants().get(r.obj)?.get(key);
      return hit && hit.prov0 === r.prov && hit.origin0 === r.origin && hit.removed0 === r.removed ? hit : undefined;
    },
    set(obj0: JsonObject, key: string, entry: Substituted): void {
      const kept = variants().getOrMake(obj0, () => new Map());
      if (kept.size >= MAX_VARIANTS) kept.delete(kept.keys().next().value!);
      // Interned (internPointer: V8's one copy of a string): the objects a build substitutes alike keep one key.
      kept.set(internPointer(key), entry);
    },
  };
}

export type SubstitutionMemo = ReturnType<typeof substitutionMemo>;
