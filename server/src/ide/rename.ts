// Rename on the facade: at a position (the editor) or by KIND/NAMESPACE/NAME (the CLI).
import type { Fleet } from '../core/model';
import { rename, type RenameAnswer } from '../features/rename';

export { prepareRename, rename, type RenameAnswer, type RenameEdit, type PrepareRenameAnswer } from '../features/rename';

/** The object `KIND/NAMESPACE/NAME` declared in the fleet, renamed to `newName` (every reference with it). */
export function renameObject(fleet: Fleet, target: string, newName: string): RenameAnswer {
  const [kind, namespace, name, ...extra] = target.split('/');
  if (!kind || !namespace || !name || extra.length) return { refused: `${target}: name the object as KIND/NAMESPACE/NAME` };
  const found = fleet.links.objects.find([kind], name, namespace).filter((o) => o.fact.name === name && !o.fact.madeBy);
  if (found.length === 0) return { refused: `${target}: no such object in the fleet` };
  const files = [...new Set(found.map((o) => o.fact.owner.file))];
  if (found.length > 1) return { refused: `${target}: ${found.length} objects have this name (${files.join(', ')}): rename one in the editor, at its name` };
  return rename(fleet, found[0].fact.owner.file, found[0].fact.nameSpan.start, newName) ?? { refused: `${target}: cannot be renamed` };
}
