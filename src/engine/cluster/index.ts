// The front door of the engine: a Lab (clock, seed, shells; the cluster itself arrives with the
// control-plane issues) and the headless runner used by `kubelab run` and scenario tests.
export { Lab, type LabRecord, type ClockRecord, type SessionRecord, type LabSpec, type OpenSessionOptions } from './lab.ts';
export { runHeadless, EXIT_GAVE_UP, type HeadlessOptions } from './headless.ts';
