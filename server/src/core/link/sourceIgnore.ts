// `.sourceignore` (gitignore syntax) at a source root: files Flux leaves out of the artifact.
import ignore from 'ignore';
import type { Fleet } from '../model';
import { join } from '../paths';

/** Flux's own default exclusions (VCS metadata and a few non-manifest files). */
const FLUX_DEFAULT_IGNORES = ['.git/', '.gitignore', '.gitmodules', '.gitattributes', '*.jpg', '*.jpeg', '*.gif', '*.png', '*.wmv', '*.flv', '*.tar.gz', '*.zip', '.github/', '.circleci/', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.drone.yml', 'cloudbuild.yaml', 'codeship-services.yml', 'codeship-steps.yml', '**/.goreleaser.yml', '**/.sops.yaml', '**/.flux.yaml'];

export function sourceIgnoreFor(fleet: Fleet, sourceRoot: string): (relPath: string) => boolean {
  const ig = ignore().add(FLUX_DEFAULT_IGNORES);
  const text = fleet.readAuxFile(join(sourceRoot, '.sourceignore'));
  if (text) ig.add(text);
  return (relPath: string) => relPath !== '' && relPath !== '/' && !relPath.startsWith('..') && ig.ignores(relPath);
}
