/**
 * The one contract for every process and thread boundary, split by boundary: page <-> engine (engine.ts),
 * renderer <-> main (ipc.ts), main -> engine outputs (outputs.ts), whoever starts an engine -> it
 * (control.ts), engine thread <-> matting thread (matting.ts). Both sides of each import it from here, and
 * every message is parsed on arrival with the parsers beside its types, never trusted.
 */
export * from './control';
export * from './engine';
export * from './ipc';
export * from './matting';
export * from './outputs';
export { ContractError } from './parse';
