// Go to definition: a path opens the file (or the folder's kustomization), an object reference jumps to the
// target's metadata.name, a remote base opens the mapped local folder's kustomization.
import type { Fleet } from '../core/model';
import { refTargets, type Location } from '../core/link/types';
import type { Span } from '../core/text';
import { referenceAt } from './referenceAt';
import { generatedDefinition, inputDefinition } from './resourceSetInputs';
import { renderedFolderTargets, renderedFoldersAt } from './variablePath';

export function definition(fleet: Fleet, file: string, offset: number): Location[] {
  return definitionLinks(fleet, file, offset).targets;
}

/**
 * The definition and the span of the value it was asked on: an editor underlines all of it on Ctrl+hover (the whole
 * `./apps/prod`, not the word under the pointer) and the click anywhere in it opens the same target.
 */
export function definitionLinks(fleet: Fleet, file: string, offset: number): { origin?: Span; targets: Location[] } {
  const input = inputDefinition(fleet, file, offset) ?? generatedDefinition(fleet, file, offset);
  if (input) return { targets: input };
  const ref = referenceAt(fleet, file, offset);
  if (ref?.variable) return { origin: ref.span, targets: renderedFolderTargets(fleet, renderedFoldersAt(fleet, file, offset) ?? []) };
  return { origin: ref?.span, targets: ref ? refTargets(ref) : [] };
}
