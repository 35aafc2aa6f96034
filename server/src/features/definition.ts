// Go to definition: a path opens the file (or the folder's kustomization), an object reference jumps to the
// target's metadata.name, a remote base opens the mapped local folder's kustomization.
import type { Fleet } from '../core/model';
import type { Location } from '../core/link/types';
import { referenceAt } from './referenceAt';

export function definition(fleet: Fleet, file: string, offset: number): Location[] {
  return referenceAt(fleet, file, offset)?.targets ?? [];
}
