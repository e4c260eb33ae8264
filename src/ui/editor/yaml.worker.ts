/**
 * The YAML language server's web worker (monaco-yaml): validation, completion and hover against the
 * schemas monacoSetup.ts configures. A module of our own so that Vite bundles it as a worker entry.
 */
import 'monaco-yaml/yaml.worker.js';
