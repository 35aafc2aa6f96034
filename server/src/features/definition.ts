// Go to definition: a path opens the file (or the folder's kustomization), an object reference jumps to the
// target's metadata.name, a remote base opens the mapped local folder's kustomization.
import type { Fleet } from '../core/model';
import type { Location } from '../core/link/types';
import { referenceAt } from './referenceAt';
import { generatedDefinition, inputDefinition } from './resourceSetInputs';
import { renderedFolderTargets, renderedFoldersAt } from './variablePath';

export function definition(fleet: Fleet, file: string, offset: number): Location[] {
  const input = inputDefinition(fleet, file, offset) ?? generatedDefinition(fleet, file, offset);
  if (input) return input;
  const ref = referenceAt(fleet, file, offset);
  if (ref?.variable) return renderedFolderTargets(fleet, renderedFoldersAt(fleet, file, offset) ?? []);
  return ref?.targets ?? [];
}
