// A document's nodes as the index's extractors read them (core/extract/*), from its `yaml` tree or from its flat form
// (core/compactDocs.ts FlatDocReader) alike: the extractors are written once over a DocReader, and a document kept flat is read
// without a tree made of it. Each reading answers as yamlAccess.ts answers of the tree the flat form was made from
// (test/unit/indexFlat.test.ts: the same facts both ways).
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { mapGet, scalarText, seqItems, spanOf } from './yamlAccess';
import type { Span } from './text';

/** A map key that is not a scalar (a collection, an alias): never equal to a key read. */
export const NOT_SCALAR_KEY = Symbol('not a scalar key');

/** A scalar node's value, type and range, as the composer set them. */
export interface ScalarData {
  value: unknown;
  type?: unknown;
  range?: readonly number[] | null;
}

export abstract class DocReader<N> {
  /** mapGet: the value of the first entry of `key` (undefined for none, or an entry without a value node). */
  abstract get(node: N | undefined, key: string): N | undefined;
  /** seqItems: a sequence's items, none for anything else. */
  abstract items(node: N | undefined): readonly N[];
  /**
   * A mapping's entries (undefined for anything else): each key the key scalar's value (null for no key node, a
   * symbol for a key that is not a scalar), each value its node (undefined for none).
   */
  abstract entries(node: N | undefined): ReadonlyArray<{ key: unknown; value: N | undefined }> | undefined;
  abstract shape(node: N | undefined): 'map' | 'seq' | 'scalar' | undefined;
  /** A scalar's value, type and range; undefined for any other node. */
  abstract scalar(node: N | undefined): ScalarData | undefined;
  /** scalarText: a scalar's value as a string (numbers and booleans too), undefined for anything else. */
  abstract text(node: N | undefined): string | undefined;
  abstract span(node: N | undefined): Span | undefined;
  /** The document's root as JSON (the `yaml` package's toJSON): rare readings (producers, odd kustomizations). */
  abstract rootJSON(root: N): unknown;

  getIn(node: N | undefined, keys: readonly string[]): N | undefined {
    let cur = node;
    for (const k of keys) {
      cur = this.get(cur, k);
      if (cur === undefined) return undefined;
    }
    return cur;
  }

  stringAt(node: N | undefined, keys: readonly string[]): { value: string; span: Span } | undefined {
    const n = this.getIn(node, keys);
    const value = this.text(n);
    const span = this.span(n);
    return value !== undefined && span ? { value, span } : undefined;
  }

  boolAt(node: N | undefined, keys: readonly string[]): boolean | undefined {
    const v = this.scalar(this.getIn(node, keys))?.value;
    if (typeof v === 'boolean') return v;
    if (v === 'true') return true;
    if (v === 'false') return false;
    return undefined;
  }
}

/** A `yaml` tree's nodes (yamlAccess.ts). */
class TreeReader extends DocReader<Node> {
  get(node: Node | undefined, key: string): Node | undefined {
    return mapGet(node, key);
  }
  items(node: Node | undefined): readonly Node[] {
    return seqItems(node);
  }
  entries(node: Node | undefined): Array<{ key: unknown; value: Node | undefined }> | undefined {
    if (!isMap(node)) return undefined;
    return node.items.map((pair) => {
      const k = pair.key;
      return { key: isScalar(k) ? k.value : k === null ? null : NOT_SCALAR_KEY, value: (pair.value ?? undefined) as Node | undefined };
    });
  }
  shape(node: Node | undefined): 'map' | 'seq' | 'scalar' | undefined {
    return isMap(node) ? 'map' : isSeq(node) ? 'seq' : isScalar(node) ? 'scalar' : undefined;
  }
  scalar(node: Node | undefined): ScalarData | undefined {
    return isScalar(node) ? (node as Scalar) : undefined;
  }
  text(node: Node | undefined): string | undefined {
    return scalarText(node);
  }
  span(node: Node | undefined): Span | undefined {
    return spanOf(node);
  }
  rootJSON(root: Node): unknown {
    return root.toJSON();
  }
}

export const treeReader: DocReader<Node> = new TreeReader();
