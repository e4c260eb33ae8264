/**
 * Monaco's own web worker (diffs, word suggestions, links) for every model that has no language worker
 * of its own. A module of our own so that Vite bundles it as a worker entry.
 */
import 'monaco-editor/esm/vs/editor/editor.worker.js';
