/** Placeholder: this family's commands land here. */
import type { CommandSpec } from './types.js';

export const keyCommands = [] as const satisfies readonly CommandSpec[];
