/**
 * Monaco and its YAML language support, set up once.
 *
 * Monaco is assembled from its API and the editor contributions the panel uses (hover, suggest, find,
 * folding, markers, formatting, comments, multi-cursor…), plus the tokenizers of the languages lab files
 * are in (YAML, Dockerfile, shell, Markdown) — not the whole `monaco-editor` entry, whose CSS, HTML, JSON
 * and TypeScript language services would add four workers (9 MB) to what the service worker precaches.
 * The web workers (Monaco's own and monaco-yaml's) are bundled by Vite as worker entries and precached,
 * so they work offline. monaco-yaml validates, completes and shows hover docs with the schemas given per
 * file by `setFileSchemas` (never fetched: they come from the engine's OpenAPI, offline).
 *
 * Only MonacoEditor.tsx imports this module, and the panel loads that with a dynamic import, so none of
 * Monaco is in the first paint.
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon-modifiers.css';
import 'monaco-editor/esm/vs/editor/browser/coreCommands.js';
import 'monaco-editor/esm/vs/editor/browser/widget/codeEditor/codeEditorWidget.js';
import 'monaco-editor/esm/vs/editor/common/standaloneStrings.js';
import 'monaco-editor/esm/vs/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/esm/vs/editor/contrib/caretOperations/browser/caretOperations.js';
import 'monaco-editor/esm/vs/editor/contrib/caretOperations/browser/transpose.js';
import 'monaco-editor/esm/vs/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/esm/vs/editor/contrib/codeAction/browser/codeActionContributions.js';
import 'monaco-editor/esm/vs/editor/contrib/comment/browser/comment.js';
import 'monaco-editor/esm/vs/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/esm/vs/editor/contrib/cursorUndo/browser/cursorUndo.js';
import 'monaco-editor/esm/vs/editor/contrib/documentSymbols/browser/documentSymbols.js';
import 'monaco-editor/esm/vs/editor/contrib/dropOrPasteInto/browser/copyPasteContribution.js';
import 'monaco-editor/esm/vs/editor/contrib/find/browser/findController.js';
import 'monaco-editor/esm/vs/editor/contrib/folding/browser/folding.js';
import 'monaco-editor/esm/vs/editor/contrib/format/browser/formatActions.js';
import 'monaco-editor/esm/vs/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/esm/vs/editor/contrib/gotoError/browser/markerSelectionStatus.js';
import 'monaco-editor/esm/vs/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/esm/vs/editor/contrib/indentation/browser/indentation.js';
import 'monaco-editor/esm/vs/editor/contrib/lineSelection/browser/lineSelection.js';
import 'monaco-editor/esm/vs/editor/contrib/linesOperations/browser/linesOperations.js';
import 'monaco-editor/esm/vs/editor/contrib/links/browser/links.js';
import 'monaco-editor/esm/vs/editor/contrib/multicursor/browser/multicursor.js';
import 'monaco-editor/esm/vs/editor/contrib/smartSelect/browser/smartSelect.js';
import 'monaco-editor/esm/vs/editor/contrib/snippet/browser/snippetController2.js';
import 'monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/esm/vs/editor/contrib/tokenization/browser/tokenization.js';
import 'monaco-editor/esm/vs/editor/contrib/wordHighlighter/browser/wordHighlighter.js';
import 'monaco-editor/esm/vs/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/esm/vs/editor/standalone/browser/quickAccess/standaloneCommandsQuickAccess.js';
import 'monaco-editor/esm/vs/editor/standalone/browser/quickAccess/standaloneGotoLineQuickAccess.js';
import 'monaco-editor/esm/vs/editor/standalone/browser/quickAccess/standaloneHelpQuickAccess.js';
import 'monaco-editor/esm/vs/features/find/register.js';
import 'monaco-editor/esm/vs/languages/definitions/dockerfile/register.js';
import 'monaco-editor/esm/vs/languages/definitions/markdown/register.js';
import 'monaco-editor/esm/vs/languages/definitions/shell/register.js';
import 'monaco-editor/esm/vs/languages/definitions/yaml/register.js';
import { configureMonacoYaml, type SchemasSettings } from 'monaco-yaml';

globalThis.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === 'yaml') return new Worker(new URL('./yaml.worker.ts', import.meta.url), { type: 'module', name: 'monaco-yaml' });
    return new Worker(new URL('./editor.worker.ts', import.meta.url), { type: 'module', name: 'monaco-editor' });
  },
};

type WorkerOptions = Parameters<typeof monaco.editor.createWebWorker>[0];

/**
 * monaco-editor 0.55+ makes a web worker client only from a Worker it is given (`opts.worker`), while
 * monaco-yaml's worker manager still asks for one by `label` with `createData` (monaco-yaml issue #272).
 * This adapter starts the worker that MonacoEnvironment gives for the label and sends it what Monaco's own
 * language workers are sent first (internal/common/workers.js): a message to skip, then the create data.
 */
function createWebWorker(opts: WorkerOptions | { label?: string; moduleId?: string; createData?: unknown }) {
  if ('worker' in opts) return monaco.editor.createWebWorker(opts);
  const worker = globalThis.MonacoEnvironment!.getWorker!(opts.moduleId ?? 'workerMain.js', opts.label ?? 'monaco-editor-worker') as Worker;
  worker.postMessage('ignore');
  worker.postMessage(opts.createData);
  return monaco.editor.createWebWorker({ worker });
}

const monacoYaml = configureMonacoYaml({ ...monaco, editor: { ...monaco.editor, createWebWorker } } as typeof monaco, {
  enableSchemaRequest: false,
  validate: true,
  completion: true,
  hover: true,
  // The schema's "source" would be a link to nowhere: the schemas are the lab's own.
  hoverSchemaSource: false,
  format: { enable: true },
  schemas: [],
});

let current = '';

/** Which schema each YAML model is checked against (by model URI); unchanged settings are not sent again. */
export function setFileSchemas(schemas: SchemasSettings[]): void {
  const key = JSON.stringify(schemas.map((s) => [s.fileMatch, s.uri]));
  if (key === current) return;
  current = key;
  void monacoYaml.update({ schemas });
}

export { monaco };
