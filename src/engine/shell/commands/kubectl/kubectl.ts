/**
 * kubectl 1.32's command tree (k8s.io/kubectl/pkg/cmd/cmd.go, cobra): `kubectl [global flags] COMMAND
 * [SUBCOMMAND] [args and flags]`. Each command's flags are the ones its help text documents plus the
 * global options; `--help`/`-h` print kubectl's help texts; flag and command errors are cobra's
 * (`Error: unknown flag: --foo` + `See 'kubectl get --help' for usage.`, `Error: unknown command "foo" for
 * "kubectl"` with its suggestions), every failure exits 1 (but kubectl diff's, which exit 2).
 *
 * Commands: get, describe, apply, create (-f, and its generators: deployment, configmap, secret…), run, expose, delete, label, annotate, patch, scale, version,
 * api-resources, api-versions, cluster-info, config (view, get-contexts, current-context, use-context,
 * set-context, set-credentials), auth can-i, wait, rollout (status, history, undo, pause, resume, restart), set (image, env,
 * resources), replace, cordon, uncordon, drain, taint, events, autoscale, explain, diff, edit, top (node, pod), logs, exec, attach, port-forward, debug. Every other kubectl command answers as an unknown command until it is
 * written.
 */
import { EXIT, type Command } from '../../command.ts';
import { checkErr } from './errors.ts';
import { Factory } from './factory.ts';
import { FlagError, flagsFromHelp, parseFlags, type FlagSpec, type ParsedFlags } from './flags.ts';
import { HELP } from './helpTexts.ts';
import { PrinterError } from './printers/index.ts';
import { runApiResources, runApiVersions, runClusterInfo, runVersion } from './cmd/info.ts';
import { runApply } from './cmd/apply.ts';
import { runAuthCanI } from './cmd/auth.ts';
import { runConfigCurrentContext, runConfigGetContexts, runConfigSetContext, runConfigSetCredentials, runConfigUseContext, runConfigView } from './cmd/config.ts';
import { runCreate } from './cmd/create.ts';
import { CREATE_HELP, CREATE_SUBCOMMANDS } from './cmd/createGenerators.ts';
import { runExpose } from './cmd/expose.ts';
import { runRun } from './cmd/run.ts';
import { runDelete } from './cmd/delete.ts';
import { runDescribe } from './cmd/describe.ts';
import { runGet } from './cmd/get.ts';
import { runAnnotate, runLabel } from './cmd/label.ts';
import { runPatch } from './cmd/patch.ts';
import { runScale } from './cmd/scale.ts';
import { MORE_HELP } from './cmd/moreHelpTexts.ts';
import { runWait } from './cmd/wait.ts';
import { runRolloutHistory, runRolloutPause, runRolloutRestart, runRolloutResume, runRolloutStatus, runRolloutUndo } from './cmd/rollout.ts';
import { runSetEnv, runSetImage, runSetResources } from './cmd/set.ts';
import { runReplace } from './cmd/replace.ts';
import { runCordon, runDrain, runTaint, runUncordon } from './cmd/node.ts';
import { runEvents } from './cmd/events.ts';
import { runAutoscale } from './cmd/autoscale.ts';
import { diffFlagError, runDiff } from './cmd/diff.ts';
import { runEdit } from './cmd/edit.ts';
import { runExplain } from './cmd/explain.ts';
import { runDebug } from './cmd/debug.ts';
import { runAttach, runExec } from './cmd/exec.ts';
import { runLogs } from './cmd/logs.ts';
import { runPortForward } from './cmd/portForward.ts';
import { TROUBLESHOOTING_HELP } from './cmd/troubleshootingHelpTexts.ts';
import { runTopNode, runTopPod } from './cmd/top.ts';
import { TOP_HELP } from './cmd/topHelpTexts.ts';

export type Run = (f: Factory, flags: ParsedFlags, args: string[]) => Promise<number>;

interface CommandNode {
  run?: Run;
  subcommands?: Readonly<Record<string, CommandNode>>;
  /** cobra's SetFlagErrorFunc: how the command reports a flag error (default: cobra's `Error: …`). */
  flagError?: (message: string) => { text: string; status: number };
}

const COMMANDS: Readonly<Record<string, CommandNode>> = {
  get: { run: runGet },
  describe: { run: runDescribe },
  apply: { run: runApply },
  create: { run: runCreate, subcommands: CREATE_SUBCOMMANDS },
  run: { run: runRun },
  expose: { run: runExpose },
  delete: { run: runDelete },
  label: { run: runLabel },
  annotate: { run: runAnnotate },
  patch: { run: runPatch },
  scale: { run: runScale },
  version: { run: runVersion },
  'api-resources': { run: runApiResources },
  'api-versions': { run: runApiVersions },
  'cluster-info': { run: runClusterInfo },
  config: {
    subcommands: {
      view: { run: runConfigView },
      'current-context': { run: runConfigCurrentContext },
      'get-contexts': { run: runConfigGetContexts },
      'use-context': { run: runConfigUseContext },
      'set-context': { run: runConfigSetContext },
      'set-credentials': { run: runConfigSetCredentials },
    },
  },
  auth: { subcommands: { 'can-i': { run: runAuthCanI } } },
  wait: { run: runWait },
  rollout: {
    subcommands: {
      status: { run: runRolloutStatus },
      history: { run: runRolloutHistory },
      undo: { run: runRolloutUndo },
      pause: { run: runRolloutPause },
      resume: { run: runRolloutResume },
      restart: { run: runRolloutRestart },
    },
  },
  set: { subcommands: { image: { run: runSetImage }, env: { run: runSetEnv }, resources: { run: runSetResources } } },
  replace: { run: runReplace },
  cordon: { run: runCordon },
  uncordon: { run: runUncordon },
  drain: { run: runDrain },
  taint: { run: runTaint },
  events: { run: runEvents },
  autoscale: { run: runAutoscale },
  top: { subcommands: { node: { run: runTopNode }, nodes: { run: runTopNode }, no: { run: runTopNode }, pod: { run: runTopPod }, pods: { run: runTopPod }, po: { run: runTopPod } } },
  explain: { run: runExplain },
  diff: { run: runDiff, flagError: diffFlagError },
  edit: { run: runEdit },
  logs: { run: runLogs },
  exec: { run: runExec },
  attach: { run: runAttach },
  'port-forward': { run: runPortForward },
  debug: { run: runDebug },
};

const ROOT: CommandNode = { subcommands: COMMANDS };

const GLOBAL_FLAGS = flagsFromHelp(HELP.options ?? '');
const HELP_FLAG: FlagSpec = { name: 'help', shorthand: 'h', kind: 'bool', defaultValue: 'false' };

/**
 * Every command kubectl 1.32 has, in the order cmd.go adds them (its help groups, then the rest): cobra
 * suggests from these, in this order, even the ones the lab has not written yet.
 */
const KUBECTL_COMMANDS = [
  'create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale',
  'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach',
  'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait',
  'kustomize', 'label', 'annotate', 'completion', 'config', 'plugin', 'version', 'api-versions', 'api-resources',
  'options',
];

/** cobra's ld(): Levenshtein distance, ignoring case. */
function levenshtein(s: string, t: string): number {
  const a = s.toLowerCase();
  const b = t.toLowerCase();
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] ?? 0;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j] ?? 0;
      d[j] = Math.min((d[j] ?? 0) + 1, (d[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length] ?? 0;
}

/** cobra's unknown-command error at the root, with SuggestionsFor's picks (distance 2 or a prefix). */
function unknownCommand(name: string): string {
  const suggestions = KUBECTL_COMMANDS.filter((c) => levenshtein(name, c) <= 2 || c.startsWith(name.toLowerCase()));
  const hint = suggestions.length ? `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}` : '';
  return `Error: unknown command "${name}" for "kubectl"${hint}\n`;
}

/** The index of the first argument that is not a flag or a global flag's value. */
function firstPositional(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') return -1;
    if (!arg.startsWith('-') || arg === '-') return i;
    if (arg.includes('=')) continue;
    const spec = arg.startsWith('--') ? GLOBAL_FLAGS.find((s) => s.name === arg.slice(2)) : arg.length === 2 ? GLOBAL_FLAGS.find((s) => s.shorthand === arg.slice(1)) : undefined;
    if (spec && spec.kind !== 'bool') i++;
  }
  return -1;
}

export const kubectl: Command = async (ctx) => {
  let args = ctx.argv.slice(1);
  let path = 'kubectl';
  let helpKey = '';
  let node: CommandNode = ROOT;
  for (;;) {
    if (!node.subcommands) break;
    const at = firstPositional(args);
    const name = at < 0 ? undefined : args[at];
    if (name === undefined) break;
    const next = node.subcommands[name];
    if (!next) {
      if (node.run) break;
      if (node === ROOT) ctx.stderr(unknownCommand(name));
      // DefaultSubCommandRun's RequireNoArguments.
      else ctx.stderr(`error: unknown command "${args.filter((a) => !a.startsWith('-')).join(' ')}"\nSee '${path} -h' for help and examples\n`);
      return EXIT.failure;
    }
    args = [...args.slice(0, at), ...args.slice(at + 1)];
    path = `${path} ${name}`;
    helpKey = helpKey ? `${helpKey} ${name}` : name;
    node = next;
  }
  const help = HELP[helpKey] ?? MORE_HELP[helpKey] ?? TOP_HELP[helpKey] ?? CREATE_HELP[helpKey] ?? TROUBLESHOOTING_HELP[helpKey] ?? '';
  const local = flagsFromHelp(help);
  const specs = [...local, ...GLOBAL_FLAGS, HELP_FLAG];
  let parsed: { flags: ParsedFlags; args: string[] };
  try {
    parsed = parseFlags(args, specs);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    if (node.flagError) {
      const reported = node.flagError(e.message);
      ctx.stderr(reported.text);
      return reported.status;
    }
    ctx.stderr(`Error: ${e.message}\nSee '${path} --help' for usage.\n`);
    return EXIT.failure;
  }
  if (!parsed.flags.bool('help') && !node.run && node !== ROOT) {
    // DefaultSubCommandRun: a command group run alone prints its help to stderr and fails.
    ctx.stderr(help);
    return EXIT.failure;
  }
  if (parsed.flags.bool('help') || !node.run) {
    ctx.stdout(help);
    return EXIT.ok;
  }
  // A command's own flag hides the global one of the same name, as cobra's inherited flags do (create rolebinding --user).
  const factory = new Factory(ctx, parsed.flags, new Set(local.map((s) => s.name).filter((name) => GLOBAL_FLAGS.some((g) => g.name === name))));
  try {
    return await node.run(factory, parsed.flags, parsed.args);
  } catch (e) {
    // A printer that failed part way has written to stdout first (a Go template's debugging dump).
    if (e instanceof PrinterError) ctx.stdout(e.output);
    return checkErr(e, (text) => ctx.stderr(text));
  }
};
