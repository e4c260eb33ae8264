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

declare class URLSearchParams {
  constructor(init?: string | Record<string, string> | Array<[string, string]>);
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
  delete(name: string): void;
  toString(): string;
  forEach(callback: (value: string, key: string) => void): void;
  keys(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
}

declare function atob(data: string): string;
declare function btoa(data: string): string;

declare function structuredClone<T>(value: T): T;
