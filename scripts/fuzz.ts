// npm run fuzz -- --cases N --seed S [--driver cli|server|both] [--only I,J]: hostile mutations of the fixture fleets through the
// real CLI and server (test/helpers/fuzz.ts). Prints the cases run and every failure (replay: same seed, case index).
import { runFuzz } from '../test/helpers/fuzz';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const cases = Number(arg('cases', '100'));
  const seed = Number(arg('seed', String(Date.now() % 100000)));
  const drivers = arg('driver', 'both') as 'cli' | 'server' | 'both';
  const started = Date.now();
  const only = arg('only', '') ? arg('only', '').split(',').map(Number) : undefined;
  const report = await runFuzz({ cases, seed, drivers, only, log: (l) => console.log(l) });
  console.log(`fuzz: seed ${seed}, ${report.cases} cases (${drivers}), ${report.failures.length} failures, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(report.failures.length ? 1 : 0);
}

void main();
