// The language server's entry point (dist/server.js): a connection over stdio (or the transport the client names on
// the command line), wired by lsp/server.ts. An exception that escapes a handler is logged; the server goes on.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';

const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (e) => connection.console.error(`flux-fleet: uncaught: ${String(e?.stack ?? e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`flux-fleet: unhandled rejection: ${String((e as Error)?.stack ?? e)}`));
// Over stdio the client is gone when its end of stdin closes: stop, even in the middle of a long evaluation.
if (process.argv.includes('--stdio')) process.stdin.on('end', () => process.exit(0));
startServer(connection);
