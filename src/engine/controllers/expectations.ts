/**
 * ControllerExpectations — pkg/controller/controller_utils.go: what a controller remembers between a
 * write and the watch event that reports it. After asking for N creations and M deletions for a key, the
 * controller does not act on that key again (its informer cache is stale) until the informer has
 * observed them all, or until the expectations are 5 minutes old (ExpectationsTimeout), so a lost event
 * cannot wedge it. UIDTrackingControllerExpectations also remembers which pods it is deleting, so a
 * deletion is counted once whether the pod's update (deletionTimestamp) or its delete event comes first.
 */
import type { Clock } from '../base/clock.ts';

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
}

export class ControllerExpectations {
  private readonly store = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** Whether the controller may sync `key`: no expectations, all fulfilled, or expired. */
  satisfiedExpectations(key: string): boolean {
    const exp = this.store.get(key);
    if (!exp) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    return this.clock.now() - exp.timestamp > EXPECTATIONS_TIMEOUT_MS;
  }

  setExpectations(key: string, add: number, del: number): void {
    this.store.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  /** Lower the outstanding counts (a create that failed is observed at once). */
  lowerExpectations(key: string, add: number, del: number): void {
    this.lower(key, add, del);
  }

  deleteExpectations(key: string): void {
    this.store.delete(key);
  }

  /** The outstanding counts, for tests and traces. */
  get(key: string): { add: number; del: number } | undefined {
    const exp = this.store.get(key);
    return exp && { add: exp.add, del: exp.del };
  }

  private lower(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (!exp) return;
    exp.add -= add;
    exp.del -= del;
  }
}

/** ControllerExpectations plus the keys of the pods being deleted, so each deletion counts once. */
export class UIDTrackingControllerExpectations extends ControllerExpectations {
  private readonly deleting = new Map<string, Set<string>>();

  expectDeletionsOf(key: string, podKeys: readonly string[]): void {
    this.deleting.set(key, new Set(podKeys));
    this.expectDeletions(key, podKeys.length);
  }

  /** A pod of `key`'s was seen deleted (or being deleted): counts only if it was expected and not yet seen. */
  deletionObservedOf(key: string, podKey: string): void {
    const set = this.deleting.get(key);
    if (set?.delete(podKey)) this.deletionObserved(key);
  }

  override deleteExpectations(key: string): void {
    super.deleteExpectations(key);
    this.deleting.delete(key);
  }
}
