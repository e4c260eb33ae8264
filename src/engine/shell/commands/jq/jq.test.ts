import { describe, expect, it } from 'vitest';
import { runScript } from '../../testing.ts';
import { context, filesystem } from '../coreutils/testing.ts';
import { MAX_STEPS } from './interpreter.ts';
import { JQ_VERSION, MAX_OUTPUTS, jq } from './jq.ts';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

const FILES = {
  'in.json': '{"a":1}\n{"a":2}\n',
  'one.json': '[1]\n',
  'prog.jq': '#!/usr/bin/jq -f\n# keys of the input\nkeys\n',
  'values.json': '1 2\n3\n',
  'raw.txt': 'x\ny',
  'dir/': '',
};

async function runJq(args: string[], stdin = '', env: Record<string, string> = {}): Promise<Run> {
  const { fs } = filesystem(FILES);
  const { ctx, out } = context(['jq', ...args], { stdin, fs });
  for (const [k, v] of Object.entries(env)) (ctx.env as Map<string, string>).set(k, v);
  const status = await jq(ctx);
  return { status, ...out };
}

const DIE = 'Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n';

const PODS = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx:1.27' }] }, status: { phase: 'Running', podIP: '10.244.1.5', containerStatuses: [{ restartCount: 0 }] } },
    { metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'node-2', containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] }, status: { phase: 'Pending', containerStatuses: [{ restartCount: 3 }] } },
    { metadata: { name: 'db-0', namespace: 'data', labels: { app: 'db' } }, spec: { nodeName: 'node-1', containers: [{ name: 'redis', image: 'redis:7' }] }, status: { phase: 'Running', podIP: '10.244.1.9', containerStatuses: [{ restartCount: 1 }] } },
  ],
  metadata: { resourceVersion: '' },
}, null, 4);

describe('jq command', () => {
  it.each<[string[], string, number, string, string]>([
    // Output layouts (jq's jv_dump: two spaces, empty containers inline, keys in insertion order).
    [['.'], '{"b":{"d":1,"c":[2,{}]},"a":[],"é":"ü😀"}', 0, '{\n  "b": {\n    "d": 1,\n    "c": [\n      2,\n      {}\n    ]\n  },\n  "a": [],\n  "é": "ü😀"\n}\n', ''],
    [['-S', '.'], '{"b":{"d":1,"c":[2,{}]},"a":[]}', 0, '{\n  "a": [],\n  "b": {\n    "c": [\n      2,\n      {}\n    ],\n    "d": 1\n  }\n}\n', ''],
    [['--tab', '.'], '{"a":[1]}', 0, '{\n\t"a": [\n\t\t1\n\t]\n}\n', ''],
    [['--indent', '3', '.'], '[1,{"a":[]}]', 0, '[\n   1,\n   {\n      "a": []\n   }\n]\n', ''],
    [['--indent', '0', '.'], '[1, {"a": []}]', 0, '[1,{"a":[]}]\n', ''],
    [['--tab', '-c', '.'], '[1]', 0, '[1]\n', ''],
    [['-c', '--tab', '.'], '[1]', 0, '[\n\t1\n]\n', ''],
    [['-a', '-c', '.'], '{"é":"ü😀\\u0001\\u007f/"}', 0, '{"\\u00e9":"\\u00fc\\ud83d\\ude00\\u0001\\u007f/"}\n', ''],
    [['-c', '.'], '1 "a" null [] {}', 0, '1\n"a"\nnull\n[]\n{}\n', ''],
    // Raw output.
    [['-r', '.a, .'], '{"a":"x\\ty"}', 0, 'x\ty\n{\n  "a": "x\\ty"\n}\n', ''],
    [['-j', '.[]'], '["a",1,null]', 0, 'a1null', ''],
    [['--raw-output0', '.[]'], '["a","b"]', 0, 'a\0b\0', ''],
    [['--raw-output0', '.[]'], '["a","b\\u0000"]', 5, 'a\0', 'jq: error (at <stdin>:0): Cannot dump a string containing NUL with --raw-output0 option\n'],
    [['-ra', '.'], '"é"', 0, '"\\u00e9"\n', ''],
    // Inputs.
    [['-n', '1+1'], '', 0, '2\n', ''],
    [['-s', '-c', '.'], '1 2 3', 0, '[1,2,3]\n', ''],
    [['-s', '-c', '.'], '', 0, '[]\n', ''],
    [['-R', '.'], 'a\nb\n', 0, '"a"\n"b"\n', ''],
    [['-R', '.'], 'a\nb', 0, '"a"\n"b"\n', ''],
    [['-Rs', '.'], 'a\nb\n', 0, '"a\\nb\\n"\n', ''],
    [['-c', '.', 'in.json', 'one.json'], '', 0, '{"a":1}\n{"a":2}\n[1]\n', ''],
    [['-c', '.a', 'in.json', 'one.json'], '', 5, '1\n2\n', 'jq: error (at one.json:1): Cannot index array with string "a"\n'],
    [['-n', '-c', '[inputs]', 'values.json'], '', 0, '[1,2,3]\n', ''],
    [['-c', '[., input]'], '1 2 3 4', 0, '[1,2]\n[3,4]\n', ''],
    [['-c', '[., input_filename, input_line_number]', 'values.json'], '', 0, '[1,"values.json",1]\n[2,"values.json",1]\n[3,"values.json",2]\n', ''],
    [['-n', 'input'], '', 5, '', 'jq: error (at <stdin>:0): break\n'],
    [['-c', '.', 'nofile', 'one.json'], '', 2, '[1]\n', 'jq: error: Could not open file nofile: No such file or directory\n'],
    [['.', 'dir'], '', 2, '', ''],
    [['-f', 'prog.jq', '-c'], '{"b":1,"a":2}', 0, '["a","b"]\n', ''],
    [['-c', '--stream', '.'], '{"a":[1,{"b":2}]}', 0, '[["a",0],1]\n[["a",1,"b"],2]\n[["a",1,"b"]]\n[["a",1]]\n[["a"]]\n', ''],
    [['-n', '--seq', '[1]'], '', 0, '\x1e[\n  1\n]\n', ''],
    // Named and positional arguments.
    [['-n', '-c', '--arg', 'x', '1', '--argjson', 'y', '{"a":2}', '[$x, $y, $ARGS]'], '', 0, '["1",{"a":2},{"positional":[],"named":{"x":"1","y":{"a":2}}}]\n', ''],
    [['-n', '-c', '--args', '$ARGS.positional', 'a', 'b'], '', 0, '["a","b"]\n', ''],
    [['-n', '-c', '--jsonargs', '$ARGS.positional', '1', '{"a":2}'], '', 0, '[1,{"a":2}]\n', ''],
    [['-n', '-c', '--args', '$ARGS.positional', 'x', '--', '-y'], '', 0, '["x","-y"]\n', ''],
    [['-n', '-c', '--slurpfile', 'v', 'values.json', '--rawfile', 'r', 'raw.txt', '[$v, $r]'], '', 0, '[[1,2,3],"x\\ny"]\n', ''],
    [['-n', '--arg', 'x', '1', '--arg', 'x', '2', '$x'], '', 0, '"1"\n', ''],
    [['-n', '-r', '$ENV.HOME, env.HOME'], '', 0, '/home/student\n/home/student\n', ''],
    // Exit statuses.
    [['-e', '.a'], '{"a":null}', 1, 'null\n', ''],
    [['-ne', 'false'], '', 1, 'false\n', ''],
    [['-ne', 'empty'], '', 4, '', ''],
    [['-ne', 'null, 1'], '', 0, 'null\n1\n', ''],
    [['-ne', '1, null'], '', 1, '1\nnull\n', ''],
    [['.+1'], '"a" 1', 0, '2\n', 'jq: error (at <stdin>:0): string ("a") and number (1) cannot be added\n'],
    [['.+1'], '1 "a"', 5, '2\n', 'jq: error (at <stdin>:0): string ("a") and number (1) cannot be added\n'],
    [['.a.b'], '{"a":1}\n\n\n{"a":2}', 5, '', 'jq: error (at <stdin>:1): Cannot index number with string "b"\njq: error (at <stdin>:3): Cannot index number with string "b"\n'],
    [['error'], '1 2 3', 5, '', 'jq: error (at <stdin>:0) (not a string): 1\njq: error (at <stdin>:0) (not a string): 2\njq: error (at <stdin>:0) (not a string): 3\n'],
    [['-n', '1|error'], '', 5, '', 'jq: error (at <unknown>) (not a string): 1\n'],
    [['-n', '"bye\\n"|halt_error(1)'], '', 1, '', 'bye\n'],
    [['-n', '{}|halt_error'], '', 5, '', '{}\n'],
    [['-n', '1, halt, 2'], '', 0, '1\n', ''],
    [['-c', '., halt'], '1 2', 0, '1\n', ''],
    [['-n', '"a"|halt_error("x")'], '', 5, '', 'jq: error (at <unknown>): string ("a") halt_error/1: number required\n'],
    // Input parse errors: the values before it are processed.
    [['.'], '[1,2\n', 5, '', 'jq: parse error: Unfinished JSON term at EOF at line 2, column 0\n'],
    [['-c', '.'], '{"a":1}}', 5, '{"a":1}\n', "jq: parse error: Unmatched '}' at line 1, column 8\n"],
    [['.'], '{"a" 1}', 5, '', 'jq: parse error: Expected separator between values at line 1, column 7\n'],
    [['.'], '{"a":1,}', 5, '', 'jq: parse error: Expected another key-value pair at line 1, column 8\n'],
    [['.'], '[1,]', 5, '', 'jq: parse error: Expected another array element at line 1, column 4\n'],
    [['.'], 'tru', 5, '', 'jq: parse error: Invalid literal at EOF at line 1, column 3\n'],
    [['-c', '.'], '[1] x', 5, '[1]\n', 'jq: parse error: Invalid numeric literal at EOF at line 1, column 5\n'],
    [['.'], '{a:1}', 5, '', 'jq: parse error: Invalid numeric literal at line 1, column 3\n'],
    [['.'], '"abc', 5, '', 'jq: parse error: Unfinished string at EOF at line 1, column 4\n'],
    [['.'], '"\\x"', 5, '', 'jq: parse error: Invalid escape at line 1, column 4\n'],
    [['.'], '"a\nb"', 5, '', 'jq: parse error: Invalid string: control characters from U+0000 through U+001F must be escaped at line 2, column 2\n'],
    [['.'], ']', 5, '', "jq: parse error: Unmatched ']' at line 1, column 1\n"],
    [['-s', '.'], '1 [', 5, '', 'jq: parse error: Unfinished JSON term at EOF at line 1, column 3\n'],
    [['-c', '.', 'in.json', 'raw.txt'], '', 5, '{"a":1}\n{"a":2}\n', 'jq: parse error: Invalid numeric literal at line 4, column 0\n'],
    [['-c', '.'], '\ufeff[1, nan, Infinity, -Infinity]', 0, '[1,null,1.7976931348623157e+308,-1.7976931348623157e+308]\n', ''],
    // Compile errors.
    [['.a.b)'], '', 3, '', "jq: error: syntax error, unexpected INVALID_CHARACTER, expecting end of file (Unix shell quoting issues?) at <top-level>, line 1:\n.a.b)    \njq: 1 compile error\n"],
    [['-n', 'foo'], '', 3, '', 'jq: error: foo/0 is not defined at <top-level>, line 1:\nfoo\njq: 1 compile error\n'],
    [['-n', '--arg', 'x', '1', '$x, $y'], '', 3, '', 'jq: error: $y is not defined at <top-level>, line 1:\n$x, $y    \njq: 1 compile error\n'],
    // Usage errors.
    [['--foo', '.'], '', 2, '', `jq: Unknown option --foo\n${DIE}`],
    [['-x', '.'], '', 2, '', `jq: Unknown option -x\n${DIE}`],
    [['-nx', '.'], '', 2, '', `jq: Unknown option -nx\n${DIE}`],
    [['--arg', 'x'], '', 2, '', `jq: --arg takes two parameters (e.g. --arg varname value)\n${DIE}`],
    [['--argjson', 'x'], '', 2, '', `jq: --argjson takes two parameters (e.g. --argjson varname text)\n${DIE}`],
    [['--slurpfile', 'x'], '', 2, '', `jq: --slurpfile takes two parameters (e.g. --slurpfile varname filename)\n${DIE}`],
    [['--indent'], '', 2, '', `jq: --indent takes one parameter\n${DIE}`],
    [['--indent', '8', '.'], '', 2, '', `jq: --indent takes a number between -1 and 7\n${DIE}`],
    [['-n', '--argjson', 'x', '{a', '$x'], '', 2, '', `jq: invalid JSON text passed to --argjson\n${DIE}`],
    [['-n', '--jsonargs', '.', '{a'], '', 2, '', `jq: invalid JSON text passed to --jsonargs\n${DIE}`],
    [['-f', 'nofile'], '', 2, '', 'jq: Could not open nofile: No such file or directory\n'],
    [['-n', '--slurpfile', 'a', 'nofile', '$a'], '', 2, '', 'jq: Bad JSON in --slurpfile a nofile: Could not open nofile: No such file or directory\n'],
    [['-n', '--rawfile', 'a', 'nofile', '$a'], '', 2, '', 'jq: Bad JSON in --rawfile a nofile: Could not open nofile: No such file or directory\n'],
    [['-V'], '', 0, `jq-${JQ_VERSION}\n`, ''],
    // Colours only on request (the lab tells a command nothing about terminals).
    [['-C', '-c', '.'], '{"a":null}', 0, '\x1b[1;39m{\x1b[0m\x1b[1;34m"a"\x1b[0m\x1b[1;39m:\x1b[0m\x1b[0;90mnull\x1b[0m\x1b[1;39m\x1b[1;39m}\x1b[0m\n', ''],
    [['-C', '-c', '.'], '[1,2]', 0, '\x1b[1;39m[\x1b[0;39m1\x1b[0m\x1b[1;39m,\x1b[0;39m2\x1b[0m\x1b[1;39m\x1b[1;39m]\x1b[0m\n', ''],
    [['-C', '.'], '[[]]', 0, '\x1b[1;39m[\n  \x1b[1;39m[]\x1b[0m\x1b[1;39m\n\x1b[1;39m]\x1b[0m\n', ''],
    [['-C', '-M', '-c', '.'], '[1]', 0, '[1]\n', ''],
    [['-c', '.'], '[1]', 0, '[1]\n', ''],
    // debug and stderr write to stderr.
    [['1, ("x"|stderr), debug'], '"a"', 0, '1\n"x"\n"a"\n', 'x["DEBUG:","a"]\n'],
  ])('jq %j <<< %j', async (args, stdin, status, stdout, stderr) => {
    expect(await runJq(args, stdin, { HOME: '/home/student' })).toEqual({ status, stdout, stderr });
  });

  it.each<[string, string]>([
    ['.items[] | select(.status.phase=="Running") | .metadata.name', 'web-0\ndb-0\n'],
    ['.items | length', '3\n'],
    ['.items[].spec.containers[].image', 'nginx:1.27\nnginx:1.27\nbusybox\nredis:7\n'],
    ['.items[] | "\\(.metadata.namespace)/\\(.metadata.name) \\(.status.podIP // "<none>")"', 'default/web-0 10.244.1.5\ndefault/web-1 <none>\ndata/db-0 10.244.1.9\n'],
    ['[.items[] | {name: .metadata.name, node: .spec.nodeName}] | group_by(.node) | map({node: .[0].node, pods: map(.name)}) | .[] | "\\(.node): \\(.pods | join(","))"', 'node-1: web-0,db-0\nnode-2: web-1\n'],
    ['.items | map(select(.metadata.labels.app == "web")) | map(.metadata.name) | @csv', '"web-0","web-1"\n'],
    ['[.items[].status.containerStatuses[].restartCount] | add', '4\n'],
    ['.items | sort_by(.metadata.name) | .[0].metadata.name', 'db-0\n'],
    ['.items[] | [.metadata.name, (.spec.containers | length)] | @tsv', 'web-0\t1\nweb-1\t2\ndb-0\t1\n'],
    ['.items | map(.metadata.labels) | unique | .[] | to_entries[] | "\\(.key)=\\(.value)"', 'app=db\napp=web\n'],
    ['.items[] | select(.metadata.name | test("^web-")) | .metadata.name | ascii_upcase', 'WEB-0\nWEB-1\n'],
    ['del(.items[].spec) | .items[0] | keys_unsorted | join(" ")', 'metadata status\n'],
    ['.items[0] | paths(type == "string") | map(tostring) | join(".")', 'metadata.name\nmetadata.namespace\nmetadata.labels.app\nspec.nodeName\nspec.containers.0.name\nspec.containers.0.image\nstatus.phase\nstatus.podIP\n'],
  ])('kubectl get pods -o json | jq -r %j', async (program, stdout) => {
    expect(await runJq(['-r', program], PODS)).toEqual({ status: 0, stdout, stderr: '' });
  });

  it('prints its usage when there is no filter and nothing on stdin', async () => {
    const r = await runJq([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^jq - commandline JSON processor \[version 1\.7\.1\]\n\nUsage:\tjq \[options\] <jq filter> \[file\.\.\.\]\n/);
    expect(r.stderr.endsWith('\t}\n\nFor listing the command options, use jq --help.\n')).toBe(true);
  });

  it('filters with . when there is no filter but stdin has JSON', async () => {
    expect(await runJq([], '{"a":1}')).toEqual({ status: 0, stdout: '{\n  "a": 1\n}\n', stderr: '' });
  });

  it('lists its options with --help', async () => {
    const r = await runJq(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  -n, --null-input          use `null` as the single input value;\n');
    expect(r.stdout.endsWith('Named arguments are also available as $ARGS.named[], while\npositional arguments are available as $ARGS.positional[].\n')).toBe(true);
  });

  it('warns about a bad JQ_COLORS and keeps the defaults', async () => {
    expect(await runJq(['-C', '-c', '.'], 'null', { JQ_COLORS: 'x' })).toEqual({ status: 0, stdout: '\x1b[0;90mnull\x1b[0m\n', stderr: 'Failed to set $JQ_COLORS\n' });
    expect(await runJq(['-C', '-c', '.'], 'null', { JQ_COLORS: '1;31' })).toEqual({ status: 0, stdout: '\x1b[1;31mnull\x1b[0m\n', stderr: '' });
  });

  it.each([
    ['repeat(1)', ['-n']],
    ['range(infinite)', ['-n']],
    ['[.[] | until(false; .)]', ['-c']],
  ])('stops %s on Ctrl-C with status 130', async (program, flags) => {
    const { fs } = filesystem(FILES);
    const { ctx, out, interrupt } = context(['jq', ...flags, program], { stdin: '[1]', fs });
    let outputs = 0;
    const stdout = ctx.stdout;
    const live = { ...ctx, stdout: (t: string) => (stdout(t), ++outputs === 3 && interrupt.fire()) };
    if (program.startsWith('[')) interrupt.fire();
    expect(await jq(live)).toBe(130);
    expect(out.stdout.split('\n').length).toBeLessThan(10);
  });

  it(`stops a loop that runs past ${MAX_STEPS} steps as if interrupted`, async () => {
    expect(await runJq(['-n', 'until(false; .)'])).toEqual({ status: 130, stdout: '', stderr: '' });
  });

  it(`stops a runaway output after ${MAX_OUTPUTS} values`, async () => {
    const r = await runJq(['-n', 'repeat(1)']);
    expect(r.status).toBe(130);
    expect(r.stdout).toBe('1\n'.repeat(MAX_OUTPUTS));
  });

  it('runs in a shell pipeline, found on PATH as /usr/bin/jq', async () => {
    const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));
    const r = await runScript(`echo '{"items":[{"n":"a"},{"n":"b"}]}' | jq -r '.items[].n' && which jq && jq -n '$v' --arg v "x y"`, { yieldToHost });
    expect(r).toEqual({ status: 0, stdout: 'a\nb\n/usr/bin/jq\n"x y"\n', stderr: '' });
  });
});
