// Lists kept to the end of a check (facts, frames, per-object lists). A list grown by push keeps room for up to
// sixteen more, and most of these lists are empty: a kept list is an exact-length copy, and every empty one is the one
// frozen empty list (frozen: a kept list is never written; a push on the shared one would throw, not leak).
export const EMPTY_LIST: readonly never[] = Object.freeze([]);

/** `list` as it is kept: an exact-length copy, or the shared empty list. */
export function keptList<T>(list: T[]): T[] {
  return list.length ? list.slice() : (EMPTY_LIST as never[]);
}
