// Strings kept to the end of a check that are made by concatenation (a template literal or `+`): V8 gives each a
// chain of cons strings, young when made like every string it allocates, so scavenges copy the whole chain and then
// promote it. Only internalized strings (the string table's: property names) are made in the old generation, flat.
// (Issue 12: the links' reference descriptions were ~3 MB of the links' scavenge bytes and ~1-3 MB of the check's;
// resolved paths and substituted strings a few MB more, bench-gc-bytes. Not for every scalar read, which cost 4% of
// a check's CPU: compactDocs.ts scalarValue.)

/**
 * The longest string given to the string table: V8 hashes a longer one by its length alone (String::kMaxHashCalcLength),
 * so all of one length collide there and each lookup compares the text with every one of them (a large ConfigMap
 * substituted per context, N strings of one length: N² comparisons of the text, seconds for a thousand 20 KB strings).
 */
const MAX_KEPT_LENGTH = 16_383;

/**
 * A proxy whose every property read answers the property key it was given: V8 turns a string key into its string-table
 * copy before it calls the trap, so `NAMES[text]` is that copy. It holds nothing (its target has no properties).
 * (A dictionary object per call, set and read back by for…in, did the same at 2.5 times the cost, and left the object
 * for a scavenge: 124,000 calls in a whole check of the synthetic fleet.)
 */
const NAMES: Readonly<Record<string, string>> = new Proxy(Object.create(null) as Record<string, string>, { get: (_target, key) => key });

/**
 * The string table's copy of `text`: flat and in the old generation, shared by every equal string kept (also each JSON
 * pointer: kustomize/provenance.ts internPointer). A string over MAX_KEPT_LENGTH is returned as it is, and so is the
 * text of one that reads as an array index ('12', a key V8 keeps as a number: as with any object's keys).
 */
export function keptString(text: string): string {
  return text.length > MAX_KEPT_LENGTH ? text : NAMES[text];
}
