// The index reads a kustomization's refusal from its top-level pairs (no JSON of the whole document): it must say what
// kustomizationRefusal says of the document's JSON, for plain documents and for those it hands to the JSON reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { indexFile } from '../../server/src/core/indexFile';
import { kustomizationRefusal } from '../../server/src/core/kustomize/kustomizationShape';
import type { Json } from '../../server/src/core/kustomize/types';

const texts = [
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n',
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
  'resources:\n- a.yaml\n',
  'namespace: ""\nnamePrefix: null\n',
  'namespace: ""\nreplicas: 0\nopenapi: {}\n',
  'commonLabels: {}\n',
  'buildMetadata: false\n',
  'buildMetadata: true\n',
  'namePrefix: 0x0\n',
  'namePrefix: .nan\n',
  'namePrefix: "0"\n',
  'namePrefix:\n',
  '? namePrefix\n',
  // Handed to the JSON reading: a repeated key (the last one counts), a key that is not a string, an alias, a merge key.
  'namespace: a\nnamespace: ""\n',
  'namespace: ""\nnamespace: a\n',
  '1: a\n',
  '~: a\n',
  '[a]: b\n',
  'x: &x ""\nnamespace: *x\n',
  'base: &b { namespace: a }\n<<: *b\n',
];

for (const text of texts) {
  test(`the index reads the refusal of ${JSON.stringify(text)} as kustomize reads its JSON`, () => {
    const facts = indexFile('/repo/kustomization.yaml', text);
    const doc = parseAllDocuments(text, { uniqueKeys: false })[0];
    assert.ok(facts.kustomize, 'read as a kustomization');
    assert.equal(facts.kustomize.refused, kustomizationRefusal(doc.toJSON() as Json));
  });
}
