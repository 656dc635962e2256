import { createRequire } from 'node:module';

/** The key enquirer decoded from a keypress. */
export interface Keypress {
  readonly name?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
  readonly sequence?: string;
  readonly action?: string;
}

/** The options of enquirer's Input prompt that calcli uses. */
export interface InputOptions {
  readonly name: string;
  readonly message: string;
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
}

/**
 * The part of enquirer's Input prompt (lib/prompts/input.js, lib/types/string.js
 * and lib/prompt.js) that calcli overrides and calls. enquirer's own typings
 * only describe `prompt()`, not the prompt classes.
 */
export declare class InputPrompt {
  constructor(options: InputOptions);
  input: string;
  cursor: number;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  /** Set by `start()`: stops listening to the keyboard. */
  stop?: () => void;
  once(event: 'close', listener: () => void): this;
  emit(event: 'start', prompt: this): boolean;
  /** Rejects the promise `run()` returned. */
  emit(event: 'cancel', error: unknown): boolean;
  readonly state: { submitted: boolean; cancelled: boolean; keypress?: Keypress };
  readonly styles: { muted(text: string): string };
  run(): Promise<string>;
  render(): Promise<void>;
  alert(): void;
  submit(): Promise<void>;
  keypress(input: string | undefined, key?: Keypress): Promise<void>;
  start(): void;
  deleteForward(): void;
  prefix(): Promise<string>;
  separator(): Promise<string>;
  message(): Promise<string>;
  footer(): Promise<string | undefined>;
}

const require = createRequire(import.meta.url);

/** enquirer's Input prompt class, typed. */
export const Input: typeof InputPrompt = (require('enquirer') as { Input: typeof InputPrompt })
  .Input;
