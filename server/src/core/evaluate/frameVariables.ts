// A Flux build's postBuild variables, held as Flux layers them: the substituteFrom objects' variables in order (a later
// one wins), then postBuild.substitute (wins over all). Not merged into a Map of the frame's own: the sources are the
// variable maps of their ConfigMaps and Secrets (contexts.ts variablesOf, one per object, shared by every context that
// reads it), and the substitute entries are one list for every frame with those entries (fluxBuild.ts
// substituteEntries). Each of the synthetic fleet's 2,439 substituting frames kept a Map of every variable, and a
// second Map with a two-element list for a variable defined twice (a cluster's ConfigMap under a tenant's
// substitute): some 360 bytes of each frame, kept to a check's end.
import type { VariableValue } from './fluxBuild';
import { EMPTY_LIST, keptList } from '../keptList';

/**
 * Read-only, a ReadonlyMap in the order a Map filled definition by definition has: each variable where it was first
 * defined, with its last definition's value. `definitions` gives every definition of one variable.
 */
export class FrameVariables implements ReadonlyMap<string, VariableValue> {
  /**
   * @param layers the substituteFrom objects' variables, in the spec's order (never written: shared); one source is
   *   held as itself, not in a list of one (a list per frame of the 2,439 of the synthetic fleet, each with one map)
   * @param own postBuild.substitute's entries as name, value, name, value... (an object's keys: each name once),
   *   read-only and shared (substituteEntries)
   */
  private constructor(
    private readonly layers: ReadonlyMap<string, VariableValue> | readonly ReadonlyMap<string, VariableValue>[],
    private readonly own: ReadonlyArray<string | VariableValue>,
  ) {}

  /** The variables of every frame that defines none. */
  static readonly NONE = new FrameVariables(EMPTY_LIST as never[], EMPTY_LIST as never[]);

  /** The layers as given (`own` kept as it is), or the one empty set of variables when there are none. */
  static of(sources: Array<ReadonlyMap<string, VariableValue>>, own: ReadonlyArray<string | VariableValue>): FrameVariables {
    if (!sources.length && !own.length) return FrameVariables.NONE;
    return new FrameVariables(sources.length === 1 ? sources[0] : keptList(sources), own);
  }

  /** The substituteFrom objects' variables, in the spec's order. */
  get sources(): readonly ReadonlyMap<string, VariableValue>[] {
    return isList(this.layers) ? this.layers : [this.layers];
  }

  get(name: string): VariableValue | undefined {
    const own = this.own;
    for (let i = 0; i < own.length; i += 2) if (own[i] === name) return own[i + 1] as VariableValue;
    const layers = this.layers;
    if (!isList(layers)) return layers.get(name);
    for (let i = layers.length - 1; i >= 0; i--) {
      const v = layers[i].get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Every definition of `name`, lowest precedence first (substituteFrom in order, then substitute). */
  definitions(name: string): VariableValue[] {
    const out: VariableValue[] = [];
    for (const s of this.sources) {
      const v = s.get(name);
      if (v !== undefined) out.push(v);
    }
    const own = this.own;
    for (let i = 0; i < own.length; i += 2) if (own[i] === name) out.push(own[i + 1] as VariableValue);
    return out;
  }

  get size(): number {
    let n = 0;
    for (const _ of this.keys()) n++;
    return n;
  }

  /** Each variable once, where a Map filled definition by definition has it: at its first definition. */
  *keys(): MapIterator<string> {
    const sources = this.sources;
    for (let i = 0; i < sources.length; i++) for (const k of sources[i].keys()) if (!definedBefore(sources, k, i)) yield k;
    const own = this.own;
    for (let i = 0; i < own.length; i += 2) if (!definedBefore(sources, own[i] as string, sources.length)) yield own[i] as string;
  }

  *values(): MapIterator<VariableValue> {
    for (const k of this.keys()) yield this.get(k)!;
  }

  *entries(): MapIterator<[string, VariableValue]> {
    for (const k of this.keys()) yield [k, this.get(k)!];
  }

  [Symbol.iterator](): MapIterator<[string, VariableValue]> {
    return this.entries();
  }

  forEach(callback: (value: VariableValue, key: string, map: ReadonlyMap<string, VariableValue>) => void, thisArg?: unknown): void {
    for (const k of this.keys()) callback.call(thisArg, this.get(k)!, k, this);
  }
}

/** Whether a source before the `before`th defines `name`. */
function definedBefore(sources: readonly ReadonlyMap<string, VariableValue>[], name: string, before: number): boolean {
  for (let j = 0; j < before; j++) if (sources[j].has(name)) return true;
  return false;
}

/** The variables of every frame that defines none (no Map, no lists of its own). */
export const NO_VARIABLES = FrameVariables.NONE;

function isList(layers: ReadonlyMap<string, VariableValue> | readonly ReadonlyMap<string, VariableValue>[]): layers is readonly ReadonlyMap<string, VariableValue>[] {
  return Array.isArray(layers);
}
