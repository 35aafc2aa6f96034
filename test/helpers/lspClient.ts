// A real LSP client over stdio to dist/server.js (built by `npm run build`), using vscode-jsonrpc.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { machineCpus, serverExecArgv } from '../../server/src/nodeOptions';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const SERVER = path.resolve(__dirname, '../../dist/server.js');

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  message: string;
  data?: unknown;
  relatedInformation?: Array<{ location: { uri: string }; message: string }>;
}

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** window/logMessage texts, in order (the server says when an evaluation is done). */
  readonly logs: string[] = [];
  /** window/showMessage texts, in order. */
  readonly messages: string[] = [];
  /** window/showDocument and workspace/applyEdit requests the server made (answered: shown, applied). */
  readonly shown: unknown[] = [];
  readonly applied: unknown[] = [];
  private waiters: Array<() => void> = [];
  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
  ) {}

  static async start(folders: string[], settings: Record<string, unknown> = {}, options: { watchedFiles?: boolean; initializationOptions?: Record<string, unknown>; clientName?: string; definitionLinks?: boolean; execArgv?: string[] } = {}): Promise<LspClient> {
    // Started as the VS Code client starts it (the same node options), plus any the caller adds.
    const proc = spawn(process.execPath, [...serverExecArgv(machineCpus()), ...(options.execArgv ?? []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, conn);
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      const w = client.waiters;
      client.waiters = [];
      w.forEach((f) => f());
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
      const w = client.waiters;
      client.waiters = [];
      w.forEach((f) => f());
    });
    conn.onNotification('window/showMessage', (p: { message: string }) => void client.messages.push(p.message));
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/showDocument', (p: unknown) => (client.shown.push(p), { success: true }));
    conn.onRequest('workspace/applyEdit', (p: unknown) => (client.applied.push(p), { applied: true }));
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      clientInfo: options.clientName ? { name: options.clientName } : undefined,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: options.watchedFiles ?? true } }, textDocument: { publishDiagnostics: { relatedInformation: true }, ...(options.definitionLinks && { definition: { linkSupport: true } }) } },
      workspaceFolders: folders.map((f) => ({ uri: uri(f), name: path.basename(f) })),
      initializationOptions: options.initializationOptions,
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  /** Resolves once `predicate` holds over the diagnostics received so far (no fixed sleeps). */
  async waitFor(predicate: () => boolean, timeoutMs = 10000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for diagnostics');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  async stop(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.conn.dispose();
    this.proc.kill();
  }
}

export function uri(p: string): string {
  return pathToFileURL(p).href;
}

/** Position of the first occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
