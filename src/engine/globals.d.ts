// The few globals that exist in every place the engine runs — a dedicated Worker and Node — declared
// here because the engine's tsconfig has no DOM and no Node types on purpose (see tsconfig.engine.json).
// Add to this list only what both hosts provide.

declare function queueMicrotask(callback: () => void): void;

declare const console: {
  log(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
