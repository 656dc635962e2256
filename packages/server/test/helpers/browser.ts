import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium; playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh profile; close() also deletes the profile. */
export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium; `credentials` answer basic auth challenges. */
export async function launchBrowser(credentials?: {
  readonly username: string;
  readonly password: string;
}): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'twelvefa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    ...(credentials && { httpCredentials: credentials }),
  });
  let closing: Promise<void> | undefined;
  return {
    context,
    close: () => {
      closing ??= context.close().finally(() => rm(profile, { recursive: true, force: true }));
      return closing;
    },
  };
}
