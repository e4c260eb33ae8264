/**
 * metav1.Time on the wire: RFC 3339 in UTC with whole seconds (`2025-01-02T03:04:05Z`), as every
 * timestamp the apiserver writes (creationTimestamp, deletionTimestamp, condition transition times).
 * metav1.MicroTime (`2025-01-02T03:04:05.123456Z`) is for leases and events.k8s.io.
 */
let lastMs = NaN;
let lastText = '';

export function rfc3339(ms: number): string {
  // Writes come in bursts at one virtual instant: format each instant once.
  const seconds = Math.floor(ms / 1000) * 1000;
  if (seconds !== lastMs) {
    lastMs = seconds;
    lastText = new Date(seconds).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return lastText;
}

export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/(\.\d{3})Z$/, '$1000Z');
}
