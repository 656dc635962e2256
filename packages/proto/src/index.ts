import { fileURLToPath } from 'node:url';

export * from './gen/calc/calc.js';

/** Absolute path of the directory holding `calc/calc.proto` (for reflection and tooling). */
export const protoDir: string = fileURLToPath(new URL('../proto', import.meta.url));
