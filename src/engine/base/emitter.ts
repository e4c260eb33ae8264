/**
 * Emitter — VS Code's event pattern: a class owns an `Emitter<T>` privately and exposes its `event`
 * as a public `onDidX` property. Listeners are called synchronously, in subscription order; a
 * listener added during a `fire` is not called for that fire, and one removed during it is skipped.
 * A listener that throws does not stop the others: the error is handed to `onListenerError`.
 */

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> {
  private listeners: Array<(value: T) => void> = [];
  private disposed = false;

  constructor(private readonly onListenerError: (error: unknown) => void = rethrowLater) {}

  /** Subscribe; the returned Disposable unsubscribes. */
  readonly event: Event<T> = (listener) => {
    if (this.disposed) return { dispose() {} };
    this.listeners = [...this.listeners, listener];
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  fire(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}

/** The default: report a listener's error without unwinding the emitter's caller. */
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
