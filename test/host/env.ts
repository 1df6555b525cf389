// How the runners (code-server and desktop) hand the fake GitLab to the extension-host suite:
// two environment variables that the extension host inherits from the process that starts it.
import * as path from 'node:path';

export const FAKE_GITLAB_URL_ENV = 'FAKE_GITLAB_URL';
export const FAKE_GITLAB_TOKENS_ENV = 'FAKE_GITLAB_TOKENS';
/** First line the suite prints; the code-server runner hides the workbench's chatter before it. */
export const SUITE_START_MARKER = '[host suite]';

/** The part of test/fake-gitlab's handle the runners need. */
export interface FakeGitLabHandle {
  url: string;
  tokens: Record<string, string>;
  close(): Promise<void> | void;
}

type StartFakeGitLab = (options?: Record<string, unknown>) => Promise<FakeGitLabHandle> | FakeGitLabHandle;

/** Starts the shared fake GitLab from its compiled module (out/test/fake-gitlab/index.js). */
export async function startFakeGitLab(options?: Record<string, unknown>): Promise<FakeGitLabHandle> {
  // Compiled to out/test/host/, so the fake lives at out/test/fake-gitlab/.
  const modulePath = path.resolve(__dirname, '..', 'fake-gitlab', 'index.js');
  let start: StartFakeGitLab | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    start = (require(modulePath) as { startFakeGitLab?: StartFakeGitLab }).startFakeGitLab;
  } catch (e) {
    throw new Error(`cannot load the fake GitLab from ${modulePath}: ${(e as Error).message}`);
  }
  if (typeof start !== 'function') throw new Error(`${modulePath} does not export startFakeGitLab()`);
  return await start(options);
}

/** Environment entries that carry the fake GitLab into the extension host. */
export function fakeGitLabEnv(fake: FakeGitLabHandle): Record<string, string> {
  return { [FAKE_GITLAB_URL_ENV]: fake.url, [FAKE_GITLAB_TOKENS_ENV]: JSON.stringify(fake.tokens) };
}

export interface FakeGitLabFromEnv {
  url: string;
  tokens: Record<string, string>;
}

/** Read inside the extension host; throws with a hint when a runner did not pass the fake. */
export function fakeGitLabFromEnv(env: NodeJS.ProcessEnv = process.env): FakeGitLabFromEnv {
  const url = env[FAKE_GITLAB_URL_ENV];
  const tokensJson = env[FAKE_GITLAB_TOKENS_ENV];
  if (!url || !tokensJson) {
    throw new Error(
      `${FAKE_GITLAB_URL_ENV}/${FAKE_GITLAB_TOKENS_ENV} are not set in the extension host: ` +
        'run the suite through `npm run test:host` or `npm run test:desktop`',
    );
  }
  const tokens = JSON.parse(tokensJson) as unknown;
  if (typeof tokens !== 'object' || tokens === null || Array.isArray(tokens)) {
    throw new Error(`${FAKE_GITLAB_TOKENS_ENV} is not a JSON object of role → token`);
  }
  return { url: url.replace(/\/+$/, ''), tokens: tokens as Record<string, string> };
}
