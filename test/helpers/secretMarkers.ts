// The planted secrets of test/fixtures/secrets: every kind of secret source holds a unique `MARKER-SECRET-…-7f3a`.
// An output leaks when it holds any part named here: a marker (or its `MARKER` start), or the base64 a Secret's
// `data` holds it as.
import * as path from 'node:path';

export const SECRETS_FIXTURE = path.resolve(__dirname, '../fixtures/secrets/platform');

/** Each marker and where it is planted. */
export const MARKERS: Record<string, string> = {
  'MARKER-SECRET-STRINGDATA-7f3a': 'Secret stringData (db-credentials), substituted alone, in a DSN, with an operator',
  'MARKER-SECRET-DATA-7f3a': 'Secret data, base64 (db-credentials)',
  'MARKER-SECRET-LITERAL-7f3a': 'secretGenerator literal',
  'MARKER-SECRET-FILE-7f3a': 'secretGenerator file',
  'MARKER-SECRET-ENV-7f3a': 'secretGenerator env file',
  'MARKER-SECRET-SOPS-7f3a': 'SOPS ciphertext of a Secret, substituted into a longer string',
  'MARKER-SECRET-SOPSKEY-7f3a': 'SOPS metadata (age recipient block)',
  'MARKER-SECRET-SOPSMAC-7f3a': 'SOPS metadata (mac)',
  'MARKER-SECRET-SOPSCM-7f3a': 'SOPS ciphertext of a ConfigMap',
  'MARKER-SECRET-SOPSPLAIN-7f3a': 'an unencrypted value of a SOPS-encrypted document',
  'MARKER-SECRET-HELMVALUES-7f3a': 'HelmRelease valuesFrom a Secret (values.yaml)',
  'MARKER-SECRET-HELMTARGET-7f3a': 'HelmRelease valuesFrom a Secret key with targetPath (data, base64)',
  'MARKER-SECRET-CIPHER-7f3a': 'SOPS ciphertext in a plain values file (a ConfigMap values layer)',
  'MARKER-SECRET-APPUSER-7f3a': 'Giant Swarm App userConfig Secret (data, base64)',
  'MARKER-SECRET-COPIED-7f3a': 'a Secret key copied into a ConfigMap by a kustomize replacement, then substituted',
};

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Strings no output may hold. */
export const FORBIDDEN: string[] = [
  'MARKER',
  // base64 of text starting with MARKER (any Secret data value the fixture writes that way)
  b64('MARKER').slice(0, 8),
  ...Object.keys(MARKERS).flatMap((m) => [b64(m), b64(m + '\n')]),
  b64('worker:\n  password: MARKER-SECRET-APPUSER-7f3a\n'),
];

/** The forbidden strings `text` holds (empty when it leaks nothing). */
export function leaks(text: string): string[] {
  return FORBIDDEN.filter((f) => text.includes(f));
}
