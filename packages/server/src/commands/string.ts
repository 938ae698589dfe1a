/** Placeholder: this family's commands land here. */
import type { CommandSpec } from './types.js';

export const stringCommands = [] as const satisfies readonly CommandSpec[];
