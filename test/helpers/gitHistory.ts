// A Git history made by the tests themselves (isomorphic-git; git never runs): `init` a folder and commit every file
// in it, as a person's last commit before the edit the test makes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import git from 'isomorphic-git';

const author = { name: 'Flux Fleet tests', email: 'tests@flux-fleet.invalid', timestamp: 1764892800, timezoneOffset: 0 };

function filesUnder(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === '.git') return [];
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, base) : [path.relative(base, p).split(path.sep).join('/')];
  });
}

/** `git init` (branch main) and one commit of every file under `dir`; returns the commit's id. */
export async function commitEverything(dir: string, message = 'the fleet as deployed'): Promise<string> {
  await git.init({ fs, dir, defaultBranch: 'main' });
  for (const filepath of filesUnder(dir)) await git.add({ fs, dir, filepath });
  return git.commit({ fs, dir, message, author, committer: author });
}
