// Finding a scalar node by where it starts in a file (to map offsets inside block scalars back to the file).
import { isMap, isSeq, isScalar, type Node, type Scalar } from 'yaml';
import { parseYamlAll } from './yamlParse';
import type { ParsedText } from './parsedText';

/** `parsed`: the fleet's parse of `text` when it is a file's (else parsed here). */
export function findScalar(text: string, start: number, parsed?: ParsedText): Scalar | undefined {
  let found: Scalar | undefined;
  const visit = (n: Node | null | undefined) => {
    if (!n || found) return;
    if (isScalar(n) && n.range?.[0] === start) found = n;
    else if (isMap(n)) for (const p of n.items) visit(p.value as Node);
    else if (isSeq(n)) for (const i of n.items) visit(i as Node);
  };
  for (const d of parsed?.docs ?? parseYamlAll(text)) visit(d.contents as Node);
  return found;
}
