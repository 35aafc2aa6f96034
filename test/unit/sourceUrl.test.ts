import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gitRepoKey, ociRepoKey, parseRemoteTarget, looksRemote } from '../../server/src/core/sourceUrl';
import { parseMappingKey } from '../../server/src/core/fleetConfig';
import { parseOriginUrl } from '../../server/src/core/gitRepo';

test('every spelling of one Git repository gives the same key', () => {
  const spellings = [
    'https://github.com/acme/platform',
    'https://github.com/acme/platform.git',
    'https://GitHub.com/acme/platform/',
    'ssh://git@github.com/acme/platform.git',
    'ssh://git@ssh.github.com:443/acme/platform',
    'git@github.com:acme/platform',
    'git@github.com:acme/platform.git',
    'http://user:token@github.com:8080/acme/platform.git',
  ];
  for (const s of spellings) assert.equal(gitRepoKey(s), 'github.com/acme/platform', s);
  assert.notEqual(gitRepoKey('https://github.com/acme/tenant-a'), gitRepoKey('https://github.com/acme/platform'));
  assert.equal(gitRepoKey('./local/path'), undefined);
});

test('OCI keys drop tags and digests', () => {
  assert.equal(ociRepoKey('oci://GHCR.io/acme/fleet/tenant-a'), 'oci://ghcr.io/acme/fleet/tenant-a');
  assert.equal(ociRepoKey('oci://ghcr.io/acme/fleet/tenant-a:v1.2'), 'oci://ghcr.io/acme/fleet/tenant-a');
  assert.equal(ociRepoKey('https://ghcr.io/x'), undefined);
});

test('kustomize remote targets in every accepted form', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['https://github.com/acme/platform//bases/app?ref=main', 'github.com/acme/platform', 'bases/app', 'main'],
    ['github.com/acme/platform/bases/app?ref=v1', 'github.com/acme/platform', 'bases/app', 'v1'],
    ['git@github.com:acme/platform.git//bases/app', 'github.com/acme/platform', 'bases/app', undefined],
    ['https://github.com/acme/platform/bases/app?version=v2', 'github.com/acme/platform', 'bases/app', 'v2'],
    ['ssh://git@github.com/acme/platform.git//bases/app?ref=x', 'github.com/acme/platform', 'bases/app', 'x'],
    ['git::https://gitlab.example.com/team/repo.git//deploy?ref=main', 'gitlab.example.com/team/repo', 'deploy', 'main'],
    ['https://git.example.com/team/repo//deploy/base', 'git.example.com/team/repo', 'deploy/base', undefined],
    ['https://github.com/acme/platform', 'github.com/acme/platform', '', undefined],
  ];
  for (const [input, repo, sub, ref] of cases) {
    assert.ok(looksRemote(input), input);
    assert.deepEqual(parseRemoteTarget(input), { repoKey: repo, subPath: sub, ref }, input);
  }
  assert.equal(parseRemoteTarget('https://raw.githubusercontent.com/acme/x/main/deploy.yaml'), undefined);
  assert.equal(parseRemoteTarget('https://github.com/fluxcd/flux2/releases/download/v2.0.0/install.yaml'), undefined);
  for (const local of ['../base', 'deployment.yaml', './x/y', 'github-app/base']) assert.ok(!looksRemote(local), local);
});

test('mapping keys: Git URL with branch, OCI URL, object', () => {
  assert.deepEqual(parseMappingKey('https://github.com/acme/tenant-a#dev-team'), { type: 'git', repoKey: 'github.com/acme/tenant-a', branch: 'dev-team' });
  assert.deepEqual(parseMappingKey('oci://ghcr.io/acme/fleet/tenant-a'), { type: 'oci', key: 'oci://ghcr.io/acme/fleet/tenant-a' });
  assert.deepEqual(parseMappingKey('GitRepository/default/your-repo'), { type: 'object', kind: 'GitRepository', namespace: 'default', name: 'your-repo' });
});

test('origin URL from .git/config', () => {
  const cfg = '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://x/y\n[remote "origin"]\n\turl = git@github.com:acme/platform.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';
  assert.equal(parseOriginUrl(cfg), 'git@github.com:acme/platform.git');
  assert.equal(parseOriginUrl('[remote "fork"]\n url = https://a/b\n'), 'https://a/b');
});
