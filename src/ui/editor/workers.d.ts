/**
 * Monaco's contributions, language registrations, CSS and worker entry are imported by file path for
 * their side effects only (monacoSetup.ts, editor.worker.ts); they ship without type declarations.
 */
declare module 'monaco-editor/esm/vs/*';
