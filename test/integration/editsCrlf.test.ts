// Through the real server: a quick-fix on a CRLF file (with a BOM and comments) comes back as a WorkspaceEdit whose
// edits, applied like an editor applies them, give the expected CRLF text — no `\r\r\n`, no bare `\n`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { LspClient, uri, type Diagnostic } from '../helpers/lspClient';
import { materialize } from '../helpers/fixture';

let client: LspClient | undefined;
after(async () => client?.stop());

interface Position {
  line: number;
  character: number;
}
interface Action {
  title: string;
  edit?: { documentChanges?: Array<{ textDocument?: { uri: string }; edits?: Array<{ range: { start: Position; end: Position }; newText: string }> }> };
}

/** Applies LSP edits to a text the way an editor does (lines end at `\r\n` or `\n`). */
function applyLsp(text: string, edits: Array<{ range: { start: Position; end: Position }; newText: string }>): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: Position) => {
    const s = starts[p.line] ?? text.length;
    const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] - (text[starts[p.line + 1] - 2] === '\r' ? 2 : 1) : text.length;
    return Math.min(s + p.character, lineEnd);
  };
  const spans = edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  for (const e of spans) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}

const crlf = (s: string) => s.replace(/\n/g, '\r\n');

test('commonLabels → labels on a CRLF kustomization with a BOM, through textDocument/codeAction', async () => {
  const m = materialize(`//- repo/app/deployment.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
`);
  const file = m.file('repo/app/kustomization.yaml');
  const text = '\uFEFF' + crlf('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml # the app\n# labels for all\ncommonLabels: # ours\n  # who\n  team: a\t# tab\n# end\n');
  fs.writeFileSync(file, text);
  client = await LspClient.start([m.file('repo')]);
  const deprecated = () => (client!.diagnostics.get(uri(file)) ?? []).filter((d: Diagnostic) => d.code === 'deprecated-api');
  await client.waitFor(() => deprecated().length === 1, 30000);
  const [d] = deprecated();
  const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: d.range, context: { diagnostics: [d] } });
  const action = actions.find((a) => a.title === "Replace 'commonLabels' with 'labels'");
  assert.ok(action, actions.map((a) => a.title).join(', '));
  const changes = action.edit?.documentChanges ?? [];
  assert.deepEqual(changes.map((c) => c.textDocument?.uri), [uri(file)]);
  const out = applyLsp(text, changes[0].edits ?? []);
  assert.equal(out, '\uFEFF' + crlf('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml # the app\n# labels for all\nlabels: # ours\n- includeSelectors: true\n  pairs:\n    # who\n    team: a\t# tab\n# end\n'));
  assert.ok(!/\r\r|(^|[^\r])\n/.test(out));
});
