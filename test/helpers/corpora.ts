// The shared corpora of real public Flux repositories (absent on a fresh clone: tests skip with a note).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Fleet } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { parseMappingKey, type SourceMapping } from '../../server/src/core/fleetConfig';

export const CORPORA_DIR = path.resolve(__dirname, '../../../shared/corpora');
export const corporaPresent = fs.existsSync(CORPORA_DIR);

/** Each corpus with the mappings its README lists (origin URL → folder; branches and placeholders too). */
export const CORPORA: Record<string, { roots: string[]; mappings: Record<string, string> }> = {
  'flux2-multi-tenancy': {
    roots: ['flux2-multi-tenancy', 'flux2-multi-tenancy-dev-team'],
    mappings: {
      'https://github.com/fluxcd/flux2-multi-tenancy': 'flux2-multi-tenancy',
      'https://github.com/fluxcd/flux2-multi-tenancy#dev-team': 'flux2-multi-tenancy-dev-team',
    },
  },
  'flux2-kustomize-helm-example': {
    roots: ['flux2-kustomize-helm-example'],
    mappings: { 'https://github.com/fluxcd/flux2-kustomize-helm-example': 'flux2-kustomize-helm-example' },
  },
  'flux2-monitoring-example': {
    roots: ['flux2-monitoring-example'],
    mappings: { 'https://github.com/fluxcd/flux2-monitoring-example': 'flux2-monitoring-example' },
  },
  // The Flux maintainers' Git-based multi-repository reference (AGPL-3.0: tested against, never copied); its own
  // .flux-fleet.yaml (added by the corpus, not upstream) maps the three origin URLs to the sibling folders.
  d1: { roots: ['d1-fleet'], mappings: {} },
  'gitops-template': {
    roots: ['gitops-template'],
    mappings: { 'https://github.com/giantswarm/gitops-template': 'gitops-template', 'GitRepository/*/your-repo': 'gitops-template' },
  },
};

export function loadCorpus(name: string): Fleet {
  const c = CORPORA[name];
  const extraMappings: SourceMapping[] = Object.entries(c.mappings).map(([raw, folder]) => ({
    raw,
    key: parseMappingKey(raw)!,
    folder: path.join(CORPORA_DIR, folder),
  }));
  const fleet = new Fleet(new NodeFileSystem(), { roots: c.roots.map((r) => path.join(CORPORA_DIR, r)), extraMappings });
  fleet.load();
  return fleet;
}
