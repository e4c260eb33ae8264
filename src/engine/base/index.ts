// The engine's ground: virtual time (Clock), chance (SeededRng), events (Emitter) and the one shape of a
// change (RecordsDiff). Upstream analogue: k8s.io/utils/clock's fake clock and client-go's clock injection;
// unlike upstream, nothing in the engine may read real time or real randomness at all.
export { Clock, DEFAULT_EPOCH, MAX_SPEED, MIN_SPEED, type ClockState, type Timer } from './clock.ts';
export { SeededRng } from './seededRng.ts';
export { Emitter, type Disposable, type Event } from './emitter.ts';
export { DiffCollector, emptyDiff, isEmptyDiff, type RecordsDiff } from './recordsDiff.ts';
