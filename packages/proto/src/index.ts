import { fileURLToPath } from 'node:url';

export * from './gen/calc/calc.js';

/** Absolute path of the directory holding `calc/calc.proto` (for reflection and tooling). */
export const protoDir: string = fileURLToPath(new URL('../proto', import.meta.url));

/** Absolute path of the contract file itself. */
export const calcProtoPath: string = fileURLToPath(
  new URL('../proto/calc/calc.proto', import.meta.url),
);
