// The Go text/template interpreter (core/gotemplate), checked against what Go's text/template and slim-sprig print:
// the parser (delimiters, trim markers, comments, variables, control structures) and the executor (pipelines, field
// chains with missingkey, Go's argument checks, printing of Go values), and errors as data with their spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTINS, SPRIG, executeTemplate, parseTemplate, type FuncMap, type GoValue, type TemplateError } from '../../server/src/core/gotemplate';

const INPUTS = { tenant: 'team1', n: 3, f: 1.5, nothing: null, list: ['a', 'b'], m: { b: ['x', 'y'], a: 1 }, app: { version: '6.7.x' } };

function funcs(inputs: GoValue): FuncMap {
  return { ...BUILTINS, ...SPRIG, inputs: { params: [], call: () => inputs } };
}

function run(text: string, opts: { delims?: [string, string]; missingKey?: 'error' | 'default' } = {}): { out?: string; error?: TemplateError } {
  const [leftDelim, rightDelim] = opts.delims ?? ['{{', '}}'];
  const f = funcs(structuredClone(INPUTS) as GoValue);
  const p = parseTemplate(text, { name: 't', leftDelim, rightDelim, funcs: f });
  if ('error' in p) return { error: p.error };
  const r = executeTemplate(p.template, { funcs: f, missingKey: opts.missingKey ?? 'error', data: null });
  return 'error' in r ? { error: r.error } : { out: r.output };
}
const out = (text: string, opts?: Parameters<typeof run>[1]) => {
  const r = run(text, opts);
  assert.equal(r.error, undefined, r.error?.message);
  return r.out;
};

test('text, actions and the configurable delimiters', () => {
  assert.equal(out('hello {{ "x" }}!'), 'hello x!');
  assert.equal(out('hello << inputs.tenant >>, {{ not a }}', { delims: ['<<', '>>'] }), 'hello team1, {{ not a }}');
  assert.equal(out('a<<inputs.tenant>>b', { delims: ['<<', '>>'] }), 'ateam1b');
});

test('trim markers remove the whitespace beside them; a dash without a space is a number', () => {
  assert.equal(out('a  \n {{- 1 -}} \n  b'), 'a1b');
  assert.equal(out('a  <<- 1 ->>  b', { delims: ['<<', '>>'] }), 'a1b');
  assert.equal(out('a {{-3}} b'), 'a -3 b');
  assert.equal(out('x\n  <<- $id := inputs.tenant >>    \n  <<- $id >>', { delims: ['<<', '>>'] }), 'xteam1');
});

test('comments', () => {
  assert.equal(out('a{{/* c */}}b'), 'ab');
  assert.equal(out('a {{- /* c */ -}} b'), 'ab');
});

test('variables: declare, assign, scope of control structures', () => {
  assert.equal(out('{{ $x := 1 }}{{ $x = 2 }}{{ $x }}'), '2');
  assert.equal(out('{{ $x := "out" }}{{ if true }}{{ $x := "in" }}{{ $x }}{{ end }}{{ $x }}'), 'inout');
  assert.equal(out('{{ range $i, $v := inputs.list }}{{ $i }}={{ $v }};{{ end }}'), '0=a;1=b;');
  assert.equal(out('{{ $ }}'), '<no value>');
});

test('if / else if / else, with, and truth of empty values', () => {
  const t = '{{ if eq inputs.tenant "x" }}x{{ else if eq inputs.tenant "team1" }}one{{ else }}other{{ end }}';
  assert.equal(out(t), 'one');
  assert.equal(out('{{ if inputs.list }}y{{ end }}{{ if "" }}n{{ end }}{{ if 0 }}n{{ end }}{{ if inputs.nothing }}n{{ end }}'), 'y');
  assert.equal(out('{{ with inputs.app }}{{ .version }}{{ end }}{{ with "" }}n{{ else }}e{{ end }}'), '6.7.xe');
});

test('range: slices, maps in key order, integers, else, break and continue', () => {
  assert.equal(out('{{ range inputs.list }}[{{ . }}]{{ end }}'), '[a][b]');
  assert.equal(out('{{ range $k, $v := inputs.m }}{{ $k }}:{{ $v }} {{ end }}'), 'a:1 b:[x y] ');
  assert.equal(out('{{ range 3 }}{{ . }}{{ end }}'), '012');
  assert.equal(out('{{ range list }}x{{ else }}empty{{ end }}'), 'empty');
  assert.equal(out('{{ range until 5 }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}'), '02');
});

test('pipelines, parentheses, and the last value passed as the last argument', () => {
  assert.equal(out('{{ "abc" | upper | printf "%s!" }}'), 'ABC!');
  assert.equal(out('{{ index (list "a" "b") 1 }} {{ (len "abc") }}'), 'b 3');
  assert.equal(out('{{ inputs.app.version | quote }}'), '"6.7.x"');
});

test('and / or stop at the argument that decides', () => {
  assert.equal(out('{{ or 0 "x" }} {{ and 1 0 }} {{ and false (fail "boom") }}'), 'x 0 false');
});

test('Go printing: numbers, floats, maps, slices, nil', () => {
  assert.equal(out('{{ inputs.n }} {{ inputs.f }} {{ 1e6 }} {{ 100000.0 }} {{ 2.50 }}'), '3 1.5 1e+06 100000 2.5');
  assert.equal(out('{{ inputs.m }} {{ inputs.list }} {{ inputs.nothing }} {{ list nil 1 }}'), 'map[a:1 b:[x y]] [a b] <no value> [<nil> 1]');
  assert.equal(out('{{ print 1 2 "a" "b" 3 }}|{{ println 1 "a" }}|{{ printf "%d-%05.1f-%q-%v" 3 2.5 "s" (list 1 2) }}'), '1 2ab3|1 a\n|3-002.5-"s"-[1 2]');
});

test('missingkey=error: a missing key is an error naming the chain; other options print <no value>', () => {
  const r = run('ok << inputs.app.nope >>', { delims: ['<<', '>>'] });
  assert.equal(r.error?.kind, 'exec');
  assert.deepEqual(r.error?.missingKey, { key: 'nope', path: ['inputs', 'app', 'nope'] });
  // Go places a chain's error at its first field (`.app`, column 12).
  assert.equal(r.error?.message, 'template: t:1:12: executing "t" at <inputs.app.nope>: map has no entry for key "nope"');
  assert.deepEqual(r.error?.span, { start: 6, end: 21 });
  assert.equal(out('{{ inputs.nope }}', { missingKey: 'default' }), '<no value>');
  assert.match(run('{{ inputs.nothing.x }}').error!.reason, /nil pointer evaluating interface \{\}\.x/);
  assert.match(run('{{ .x }}').error!.reason, /nil data; no entry for key "x"/);
  assert.match(run('{{ inputs.tenant.x }}').error!.reason, /can't evaluate field x in type string/);
});

test("Go's argument checks: int is not int64, literals by type, arity", () => {
  assert.match(run('{{ indent inputs.n "x" }}').error!.reason, /wrong type for value; expected int; got int64/);
  assert.equal(out('{{ indent (int inputs.n) "x" }}|{{ inputs.n | int | add 1 }}'), '   x|4');
  assert.match(run('{{ upper }}').error!.reason, /wrong number of args for upper: want 1 got 0/);
  assert.match(run('{{ upper 1 }}').error!.reason, /expected string; found 1/);
  assert.match(run('{{ upper inputs.n }}').error!.reason, /wrong type for value; expected string; got int64/);
  assert.match(run('{{ eq 1 "1" }}').error!.reason, /error calling eq: incompatible types for comparison/);
  assert.match(run('{{ fail "no way" }}').error!.reason, /error calling fail: no way/);
  assert.match(run('{{ "x" 1 }}').error!.reason, /can't give argument to non-function "x"/);
});

test('slim-sprig functions as Go computes them', () => {
  assert.equal(out('{{ quote "a\\"b\\n" }} {{ squote "x" }} {{ quote nil }}'), '"a\\"b\\n" \'x\' ');
  assert.equal(out('{{ dict "b" 1 "a" "<x>" | toJson }} {{ list 1 "a" | toRawJson }}'), '{"a":"\\u003cx\\u003e","b":1} [1,"a"]');
  assert.equal(out('{{ default "d" "" }} {{ default "d" false }} {{ "v" | default "d" }} {{ get inputs "missing" | default "g" }}'), 'd d v g');
  assert.equal(out('{{ "a\\nb" | nindent 2 }}|{{ "a\\nb" | indent 1 }}'), '\n  a\n  b| a\n b');
  assert.equal(out('{{ ternary "y" "n" true }} {{ splitList "," "a,b" | join "+" }} {{ until 3 }} {{ toString 1.5 }} {{ int "12" }} {{ int "x" }}'), 'y a+b [0 1 2] 1.5 12 0');
  assert.equal(out('{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }}'), '6 3 6 3 1 5');
  assert.equal(out('{{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ sha256sum "" | trunc 8 }} {{ adler32sum "team1-apps" }}'), 'aGk= hi e3b0c442 340788154');
  assert.equal(out('{{ trimAll "-" "--a--" }} {{ trimPrefix "a" "abc" }} {{ trimSuffix "c" "abc" }} {{ trim "  x " }} {{ title "hello world" }} {{ replace "a" "b" "aaa" }}'), 'a bc ab x Hello World bbb');
  assert.equal(out('{{ hasKey inputs "tenant" }} {{ keys (dict "a" 1) }} {{ "abc" | contains "b" }} {{ "abc" | hasPrefix "a" }} {{ len "é" }}'), 'true [a] true true 2');
  assert.equal(out('{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }} {{ regexMatch "^[a-z]+$" "abc" }} {{ regexFind "[0-9]+" "ab12cd" }}'), '-W-xxW- true 12');
  assert.equal(out('{{ empty "" }} {{ coalesce "" 0 "c" }} {{ first inputs.list }} {{ last inputs.list }} {{ has "b" inputs.list }} {{ kindOf inputs.n }} {{ typeOf inputs.m }}'), 'true c a b true int64 map[string]interface {}');
});

test('parse errors are results with the span of what failed', () => {
  const unknown = run('a {{ nope 1 }}');
  assert.equal(unknown.error?.kind, 'parse');
  assert.equal(unknown.error?.unknownFunction, 'nope');
  assert.equal(unknown.error?.message, 'template: t:1: function "nope" not defined');
  assert.deepEqual(unknown.error?.span, { start: 5, end: 9 });
  // `required` is Helm's, not slim-sprig's: the operator does not have it.
  assert.equal(run('{{ required "x" inputs.tenant }}').error?.unknownFunction, 'required');
  assert.match(run('{{ $y }}').error!.message, /undefined variable "\$y"/);
  assert.match(run('x {{ if true }}').error!.message, /unexpected EOF/);
  assert.match(run('x {{ end }}').error!.message, /unexpected \{\{end\}\}/);
  assert.match(run('{{ if }}x{{ end }}').error!.message, /missing value for if/);
  assert.match(run('{{ "x" | 1 }}').error!.message, /non executable command in pipeline stage 2/);
  assert.match(run('{{ break }}').error!.message, /\{\{break\}\} outside \{\{range\}\}/);
  assert.match(run('{{ "x" ').error!.message, /unclosed action/);
  assert.match(run('{{ "x }}').error!.message, /unterminated quoted string/);
  assert.match(run('{{ define "x" }}{{ end }}').error!.message, /not supported/);
  assert.equal(run('line1\nline2 {{ nope }}').error?.message, 'template: t:2: function "nope" not defined');
});

test('the output keeps which template text wrote each piece', () => {
  const f = funcs({ a: 'A' });
  const p = parseTemplate('x: << inputs.a >>\ny', { leftDelim: '<<', rightDelim: '>>', funcs: f });
  assert.ok('template' in p);
  const r = executeTemplate(p.template, { funcs: f, missingKey: 'error' });
  assert.ok('output' in r);
  assert.equal(r.output, 'x: A\ny');
  assert.deepEqual(
    r.segments.map((s) => [r.output.slice(s.out.start, s.out.end), p.template.text.slice(s.src.start, s.src.end), s.action]),
    [
      ['x: ', 'x: ', false],
      ['A', '<< inputs.a >>', true],
      ['\ny', '\ny', false],
    ],
  );
});

test('a function map may extend a shared one; Object members are never functions', () => {
  const shared = Object.assign(Object.create(null), BUILTINS, SPRIG) as FuncMap;
  const f = Object.create(shared) as FuncMap;
  f.inputs = { params: [], call: () => ({ a: 'A' }) };
  const p = parseTemplate('{{ inputs.a | lower }}', { funcs: f });
  assert.ok('template' in p);
  const r = executeTemplate(p.template, { funcs: f, missingKey: 'error' });
  assert.deepEqual('output' in r && r.output, 'a');
  const plain = { ...BUILTINS } as FuncMap;
  for (const name of ['constructor', 'hasOwnProperty', 'valueOf']) {
    const q = parseTemplate(`{{ ${name} }}`, { funcs: plain });
    assert.equal('error' in q && q.error.unknownFunction, name);
  }
});

test('hostile templates end with an error, not a hang or a crash', () => {
  assert.match(run('{{ range 1000000000 }}{{ end }}').error!.reason, /execution stopped after/);
  assert.match(run('{{ until 100000000 }}').error!.reason, /more than 1000000 elements/);
  assert.match(run('{{ repeat 100000000 "xx" }}').error!.reason, /more than/);
  const deep = '{{ ' + '('.repeat(20000) + '1' + ')'.repeat(20000) + ' }}';
  assert.ok(run(deep).error, 'deep nesting is an error');
});
