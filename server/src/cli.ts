// flux-fleet CLI: the same core as the language server, printing findings and the fleet tree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ide from './ide';
import type { Fleet, Finding } from './ide';

/** The CLI's streams, for the commands that print builds and values. */
const IO: ide.CommandIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), cwd: process.cwd() };

const USAGE = `Usage: flux-fleet <command> [options] [DIR...]

Commands:
  check [--format text|json|sarif] [--no-strict-substitution] [--no-schema] [DIR...]
                                        report broken references, variables without value, overrides of locked
                                        fields and other findings (exit 1 on errors); undefined variables are
                                        errors unless --no-strict-substitution (Flux's StrictPostBuildSubstitutions);
                                        --format sarif writes SARIF 2.1.0 for code-scanning UIs; documents are
                                        validated against the bundled schemas unless --no-schema
  tenants [--format text|json] [DIR...] each tenant (declared in .flux-fleet.yaml \`tenants:\`, else inferred from the
                                        fleet): repositories, namespaces, service accounts, lockdown and findings
                                        (exit 1 when a tenant has an error)
  tree [DIR...]                         print root Kustomizations → sources → Kustomizations → folders
  kustomize DIR [--provenance] [--show-secrets]
                                        print what \`kubectl kustomize DIR\` prints, without kustomize;
                                        --provenance adds the file:line (and layer) that set each value
  build NAMESPACE/NAME [--context NS/NAME] [--show-secrets] [DIR...]
                                        the fully rendered output of a Flux Kustomization, per context
  values KIND/NAMESPACE/NAME [--context NS/NAME] [--format yaml|json] [DIR...]
                                        effective values of a HelmRelease, each leaf with the file:line that set it
  rename KIND/NAMESPACE/NAME NEW [--dry-run] [DIR...]
                                        rename an object and every reference to it across the repositories
                                        (refused, with the reason, where a reference cannot follow safely);
                                        --dry-run prints the edits and writes nothing
  move FROM TO [--dry-run] [DIR...]     move a file or folder (an app, a tenant) to the new path TO, in the same or
                                        another repository, with every reference across the fleet: kustomize paths,
                                        remote bases, Flux spec.path and sourceRef, chart folders, .flux-fleet.yaml
                                        mappings, tenant paths and lock allowIn globs; checked by rendering every
                                        context it reaches before and after (refused, with the reason, when anything
                                        would render differently or cannot follow safely); --dry-run writes nothing
  add tenant NAME --repo URL --path DIR --cluster CLUSTER... [--dry-run] [DIR...]
                                        add a tenant like the nearest existing one (its platform files copied with
                                        the names changed, the folders its paths expect in DIR of --path, the
                                        repository's mapping); CLUSTER is a cluster's folder (prod, clusters/prod);
                                        refused, with the reason, where the layout cannot be followed
  add app NAME --base PATH --to DIR [--set KEY=VALUE...] [--dry-run] [DIR...]
                                        add an app from a base, written like its neighbours in --to: the overlay
                                        folder, the list entry, a values file of the base's extension points
                                        (required keys first; --set fills them in)
  rename var:NAME[@FILE:LINE] NEW [--dry-run] [DIR...]
                                        rename a Flux postBuild variable: its postBuild.substitute keys and
                                        substituteFrom ConfigMap/Secret keys and every \${NAME} the contexts
                                        substitute with them (defaults kept); @FILE:LINE picks the variable used
                                        or defined on that line, else every variable of that name
  diff [--base REV | --base-dir DIR] [--format text|json|markdown] [DIR...]
                                        what the working tree changes in every cluster against a baseline (a Git
                                        revision, HEAD by default, or a folder laid out like the DIRs): objects
                                        added, removed and changed with the line that caused each, and dangers
                                        (prune deletions, removed or renamed Kustomizations, immutable fields…);
                                        exit 1 when a danger is an error; markdown is made for a PR comment

Each DIR is a repository or a folder of repositories (default: the current directory). A context is named by any
Flux Kustomization on its chain; without --context, build and values answer once per context.

--untrusted (any command; for CI on pull requests): the DIRs are untrusted, as the language server treats an
untrusted VS Code workspace: no .flux-fleet.yaml, not even the one at the top of a DIR, maps a folder outside the
DIRs (such a mapping is reported, not followed).

Values from Secrets, SOPS-encrypted files and substitutions of either are shown as •••• everywhere (a secret inside
a longer string only where it sits: postgres://app:••••@db); \`build\` and \`kustomize\` print them only with
--show-secrets.`;

function toPosix(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}

/**
 * The CLI trusts the folders the user names: the `.flux-fleet.yaml` at the top of each may map folders anywhere
 * (`check d1-fleet` follows its `../d1-infra`); nested repositories' and mapped folders' own files map inside those
 * only. `kustomize DIR` names a folder, not its repository: there no mapping leaves the repository.
 */
export function loadFleet(dirs: string[], mappingTrust: ide.MappingTrust = 'roots'): Fleet {
  return ide.openFleet((dirs.length ? dirs : ['.']).map(toPosix), [], mappingTrust);
}

const SEVERITY_ORDER = { error: 0, warning: 1, information: 2, hint: 3 };

/** Every finding of `check`: links, evaluated values, locks, schemas (the contexts are evaluated once). */
export function checkFindings(fleet: Fleet, strictSubstitution = true, schemaValidation = true): Finding[] {
  return ide.check(fleet, { strictSubstitution, schema: schemaValidation });
}

export function findingRows(fleet: Fleet, cwd: string, strictSubstitution = true, all: Finding[] = checkFindings(fleet, strictSubstitution)) {
  const rows = all.map((f: Finding) => {
    const s = ide.lineColOf(fleet, f.file, f.span.start);
    const e = ide.lineColOf(fleet, f.file, f.span.end);
    return {
      file: path.relative(cwd, f.file) || '.',
      line: s.line + 1,
      column: s.character + 1,
      endLine: e.line + 1,
      endColumn: e.character + 1,
      severity: f.severity,
      code: f.code,
      message: f.message,
    };
  });
  rows.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return rows;
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    (command ? process.stdout : process.stderr).write(USAGE + '\n');
    return command ? 0 : 2;
  }
  let format = command === 'values' ? 'yaml' : 'text';
  let context: string | undefined;
  let provenance = false;
  let strict = true;
  let schema = true;
  let showSecrets = false;
  let untrusted = false;
  let dryRun = false;
  const dirs: string[] = [];
  if (command === 'add') return addMain(rest);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--format') format = rest[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--context') context = rest[++i];
    else if (a.startsWith('--context=')) context = a.slice(10);
    else if (a === '--provenance') provenance = true;
    else if (a === '--no-strict-substitution') strict = false;
    else if (a === '--no-schema') schema = false;
    else if (a === '--untrusted') untrusted = true;
    else if (a === '--dry-run' && (command === 'rename' || command === 'move')) dryRun = true;
    else if (a === '--show-secrets' && (command === 'build' || command === 'kustomize')) showSecrets = true;
    else if (a.startsWith('-')) {
      process.stderr.write(`flux-fleet: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else dirs.push(a);
  }
  if (command === 'diff') throw new Error('flux-fleet diff is asynchronous: call run()');
  const formats = command === 'values' ? ['yaml', 'json'] : command === 'check' ? ['text', 'json', 'sarif'] : ['text', 'json'];
  if (!formats.includes(format)) {
    process.stderr.write(`flux-fleet: --format must be ${formats.join(' or ')}\n`);
    return 2;
  }
  const positional = command === 'build' || command === 'values' || command === 'rename' || command === 'move' ? dirs.shift() : undefined;
  const newName = command === 'rename' || command === 'move' ? dirs.shift() : undefined;
  if (command === 'move' && (!positional || !newName)) {
    process.stderr.write('flux-fleet: move needs FROM and TO\n');
    return 2;
  }
  if (command === 'rename' && (!positional || !newName)) {
    process.stderr.write('flux-fleet: rename needs KIND/NAMESPACE/NAME (or var:NAME) and the new name\n');
    return 2;
  }
  if ((command === 'build' || command === 'values') && !positional) {
    process.stderr.write(`flux-fleet: ${command} needs ${command === 'build' ? 'NAMESPACE/NAME' : 'KIND/NAMESPACE/NAME'}\n`);
    return 2;
  }
  if (command === 'kustomize' && dirs.length !== 1) {
    process.stderr.write('flux-fleet: kustomize takes one DIR\n');
    return 2;
  }
  for (const d of dirs) {
    if (!ide.folderExists(d)) {
      process.stderr.write(`flux-fleet: ${d}: no such directory\n`);
      return 2;
    }
  }
  if (command === 'kustomize') {
    const dir = toPosix(dirs[0]);
    return ide.kustomizeCommand(IO, loadFleet([ide.repositoryRootOf(dir)], untrusted ? 'none' : 'settings'), dir, provenance, showSecrets);
  }
  // Trusted, the .flux-fleet.yaml at the top of each DIR may map folders anywhere; untrusted, none may (the server's
  // untrusted workspace).
  const trust: ide.MappingTrust = untrusted ? 'none' : 'roots';
  if (command === 'build') return ide.buildCommand(IO, loadFleet(dirs, trust), positional!, context, showSecrets);
  if (command === 'values') return ide.valuesCommand(IO, loadFleet(dirs, trust), positional!, context, format);
  if (command === 'rename') return renameCommand(loadFleet(dirs, trust), positional!, newName!, dryRun);
  if (command === 'move') return moveCommand(loadFleet(dirs, trust), toPosix(positional!), toPosix(newName!), dryRun);
  if (command === 'check') {
    const fleet = loadFleet(dirs, trust);
    const all = checkFindings(fleet, strict, schema);
    const rows = findingRows(fleet, process.cwd(), strict, all);
    if (format === 'sarif') process.stdout.write(JSON.stringify(ide.toSarif(all, toPosix(process.cwd()), (f) => fleet.facts.get(f)?.text ?? fleet.readAuxFile(f)), null, 2) + '\n');
    else if (format === 'json') process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    else {
      for (const r of rows) process.stdout.write(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}\n`);
      const count = (s: string) => rows.filter((r) => r.severity === s).length;
      process.stdout.write(`${ide.repositoryCount(fleet)} repositories, ${fleet.facts.size} YAML files: ${count('error')} errors, ${count('warning')} warnings, ${count('information')} information\n`);
    }
    return rows.some((r) => r.severity === 'error') ? 1 : 0;
  }
  if (command === 'tenants') {
    const fleet = loadFleet(dirs);
    const reports = ide.tenantsReport(fleet);
    const cwd = process.cwd();
    if (format === 'json') {
      const rows = (fs: Finding[]) => findingRows(fleet, cwd, strict, fs);
      process.stdout.write(JSON.stringify(reports.map((r) => ({ ...r, findings: rows(r.findings) })), null, 2) + '\n');
    } else {
      const where = (f: Finding) => {
        const s = ide.lineColOf(fleet, f.file, f.span.start);
        return `${path.relative(cwd, f.file) || '.'}:${s.line + 1}:${s.character + 1}`;
      };
      process.stdout.write(ide.renderTenants(reports, where) + '\n');
    }
    return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
  }
  if (command === 'tree') {
    const fleet = loadFleet(dirs, trust);
    const out = ide.renderTree(ide.fleetTree(fleet));
    process.stdout.write((out || '(no Flux Kustomizations found)') + '\n');
    return 0;
  }
  process.stderr.write(`flux-fleet: unknown command ${command}\n${USAGE}\n`);
  return 2;
}

/** Applies (or with --dry-run prints) a rename's edits; each file is rewritten once, its other bytes untouched. */
function renameCommand(fleet: Fleet, target: string, newName: string, dryRun: boolean): number {
  const answer = target.startsWith('var:') ? ide.renameVariable(fleet, target, newName, toPosix(process.cwd())) : ide.renameObject(fleet, target, newName);
  if ('refused' in answer) {
    process.stderr.write(`flux-fleet: rename refused: ${answer.refused}\n`);
    return 1;
  }
  const plan = { ...ide.emptyPlan(`Rename ${target} to ${newName}`), edits: answer.edits };
  return planCommand(fleet, plan, dryRun);
}

/** Plans a move (its render proof and findings check included), then prints it and unless --dry-run writes it. */
function moveCommand(fleet: Fleet, from: string, to: string, dryRun: boolean): number {
  const answer = ide.move(fleet, from, to);
  if ('refused' in answer) {
    process.stderr.write(`flux-fleet: move refused: ${answer.refused}\n`);
    return 1;
  }
  return planCommand(fleet, answer, dryRun);
}

/** `flux-fleet add tenant|app NAME …`: the plan printed, then written unless --dry-run. */
function addMain(args: string[]): number {
  const [what, name, ...rest] = args;
  const opts: Record<string, string[]> = {};
  const dirs: string[] = [];
  let dryRun = false;
  const takes = what === 'tenant' ? ['--repo', '--path', '--cluster'] : ['--base', '--to', '--set'];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (a === '--dry-run') dryRun = true;
    else if (takes.includes(flag)) (opts[flag] ??= []).push(eq > 0 && flag !== a ? a.slice(eq + 1) : rest[++i] ?? '');
    else if (a.startsWith('-')) {
      process.stderr.write(`flux-fleet: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else dirs.push(a);
  }
  if ((what !== 'tenant' && what !== 'app') || !name) {
    process.stderr.write('flux-fleet: add tenant NAME --repo URL --path DIR --cluster CLUSTER… | add app NAME --base PATH --to DIR\n');
    return 2;
  }
  for (const d of dirs) {
    if (!ide.folderExists(d)) {
      process.stderr.write(`flux-fleet: ${d}: no such directory\n`);
      return 2;
    }
  }
  const one = (flag: string) => opts[flag]?.[opts[flag].length - 1];
  let answer: ide.OperationAnswer;
  let fleet: Fleet;
  if (what === 'tenant') {
    if (!one('--repo') || !one('--path')) {
      process.stderr.write('flux-fleet: add tenant needs --repo URL and --path DIR (the repository\'s local folder)\n');
      return 2;
    }
    fleet = loadFleet(dirs);
    answer = ide.addTenantPlan(fleet, { name, repoUrl: one('--repo')!, folder: toPosix(one('--path')!), clusters: opts['--cluster'] ?? [] });
  } else {
    if (!one('--base') || !one('--to')) {
      process.stderr.write('flux-fleet: add app needs --base PATH and --to DIR\n');
      return 2;
    }
    const values: Record<string, string> = {};
    for (const kv of opts['--set'] ?? []) {
      const at = kv.indexOf('=');
      if (at <= 0) {
        process.stderr.write(`flux-fleet: --set ${kv}: write KEY=VALUE\n`);
        return 2;
      }
      values[kv.slice(0, at)] = kv.slice(at + 1);
    }
    fleet = loadFleet(dirs);
    answer = ide.addAppPlan(fleet, { name, base: toPosix(one('--base')!), to: toPosix(one('--to')!), values });
  }
  if ('refused' in answer) {
    process.stderr.write(`flux-fleet: add ${what} refused: ${answer.refused}\n`);
    return 1;
  }
  return planCommand(fleet, answer, dryRun);
}

/** Prints an operation's plan, then (unless --dry-run) writes it: all of it, or nothing when a file changed meanwhile. */
function planCommand(fleet: Fleet, plan: ide.OperationPlan, dryRun: boolean): number {
  const read: ide.ReadText = (file) => ide.textAsRead(fleet, file);
  process.stdout.write(ide.describePlan(plan, read).join('\n') + '\n');
  const files = new Set(plan.edits.map((e) => e.file)).size + plan.creates.length + plan.moves.length;
  if (!dryRun) {
    const done = ide.applyPlan(plan, read);
    if ('error' in done) {
      process.stderr.write(`flux-fleet: ${done.error}\n`);
      return 1;
    }
  }
  process.stdout.write(`${plan.edits.length} edit(s), ${plan.creates.length} new file(s), ${plan.moves.length} move(s) in ${files} file(s)${dryRun ? ' (dry run: nothing written)' : ''}\n`);
  return 0;
}

/** `flux-fleet diff [--base REV | --base-dir DIR] [--format text|json|markdown] [--untrusted] [DIR...]`. */
async function diffMain(args: string[]): Promise<number> {
  let format = 'text';
  let rev: string | undefined;
  let baseDir: string | undefined;
  let untrusted = false;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name: string) => (a === name ? args[++i] : a.startsWith(name + '=') ? a.slice(name.length + 1) : undefined);
    if (a === '--format' || a.startsWith('--format=')) format = value('--format') ?? '';
    else if (a === '--base' || a.startsWith('--base=')) rev = value('--base');
    else if (a === '--base-dir' || a.startsWith('--base-dir=')) baseDir = value('--base-dir');
    else if (a === '--untrusted') untrusted = true;
    else if (a.startsWith('-')) {
      process.stderr.write(`flux-fleet: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else dirs.push(a);
  }
  if (!['text', 'json', 'markdown'].includes(format)) {
    process.stderr.write('flux-fleet: --format must be text, json or markdown\n');
    return 2;
  }
  if ((rev !== undefined && baseDir !== undefined) || rev === '' || baseDir === '') {
    process.stderr.write('flux-fleet: diff takes --base REV or --base-dir DIR (not both)\n');
    return 2;
  }
  for (const d of [...dirs, ...(baseDir !== undefined ? [baseDir] : [])]) {
    if (!ide.folderExists(d)) {
      process.stderr.write(`flux-fleet: ${d}: no such directory\n`);
      return 2;
    }
  }
  const fleet = loadFleet(dirs, untrusted ? 'none' : 'roots');
  return ide.diffCommand(IO, fleet, baseDir !== undefined ? { baseDir: toPosix(baseDir) } : { rev: rev ?? 'HEAD' }, format);
}

/** The entry point's dispatch: `diff` reads its baseline asynchronously (Git objects), every other command is main. */
export function run(argv: string[]): Promise<number> {
  return argv[0] === 'diff' ? diffMain(argv.slice(1)) : Promise.resolve(main(argv));
}

/** The command line's run (cliLauncher.ts calls it, in the node it settled on): exit code, streams. */
export function runFromCommandLine(): void {
  // `flux-fleet check | head`: a reader that stops early is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  run(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: Error) => {
      process.stderr.write(`flux-fleet: ${e.message}\n`);
      process.exitCode = 2;
    },
  );
}

// `node --import tsx server/src/cli.ts ...` in development (dist/cli.js is cliLauncher.ts).
if (require.main === module) runFromCommandLine();
