// Strings kept to the end of a check that are made by concatenation (a template literal or `+`): V8 gives each a
// chain of cons strings, young when made like every string it allocates, so scavenges copy the whole chain and then
// promote it. Only internalized strings (the string table's: property names) are made in the old generation, flat.
// (Issue 12: the links' reference descriptions were ~3 MB of the links' scavenge bytes and ~1-3 MB of the check's;
// resolved paths and substituted strings a few MB more, bench-gc-bytes. Each call makes a dictionary object: not for
// every scalar read, which cost 4% of a check's CPU: compactDocs.ts scalarValue.)

/**
 * The longest string given to the string table: V8 hashes a longer one by its length alone (String::kMaxHashCalcLength),
 * so all of one length collide there and each lookup compares the text with every one of them (a large ConfigMap
 * substituted per context, N strings of one length: N² comparisons of the text, seconds for a thousand 20 KB strings).
 */
const MAX_KEPT_LENGTH = 16_383;

/**
 * The string table's copy of `text`: flat and in the old generation, shared by every equal string kept (also each JSON
 * pointer: kustomize/provenance.ts internPointer). Set as a key of an object without a prototype, which V8 keeps as a
 * dictionary: a literal with a computed key (`{ [text]: 0 }`) made a hidden class and descriptors in the old space at
 * each call (26,000 in a whole check, --log-maps) and took 4x the time. A string over MAX_KEPT_LENGTH is returned as it
 * is.
 */
export function keptString(text: string): string {
  if (text.length > MAX_KEPT_LENGTH) return text;
  const named: Record<string, 0> = Object.create(null) as Record<string, 0>;
  named[text] = 0;
  for (const name in named) return name;
  return text;
}
