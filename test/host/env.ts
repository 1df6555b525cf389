// How the runners (code-server and desktop) hand the fake GitLab to the extension-host suite:
// two environment variables that the extension host inherits from the process that starts it.
import type { FakeGitLab, FakeGitLabOptions } from '../fake-gitlab';

export const FAKE_GITLAB_URL_ENV = 'FAKE_GITLAB_URL';
export const FAKE_GITLAB_TOKENS_ENV = 'FAKE_GITLAB_TOKENS';
/** `development` or `installed`: how the runner loaded the extension (the suite checks it). */
export const EXTENSION_SOURCE_ENV = 'GITLAB_PACKAGES_EXTENSION_SOURCE';
/** First line the suite prints; the code-server runner hides the workbench's chatter before it. */
export const SUITE_START_MARKER = '[host suite]';

/** The part of test/fake-gitlab's handle the runners need. */
export type FakeGitLabHandle = Pick<FakeGitLab, 'url' | 'tokens' | 'close'>;

/** Starts the shared fake GitLab from its compiled module (out/test/fake-gitlab/index.js). */
export async function startFakeGitLab(options?: FakeGitLabOptions): Promise<FakeGitLabHandle> {
  // Loaded lazily: the suite imports this file inside the extension host, which needs no fake of its own here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fakeModule = require('../fake-gitlab') as typeof import('../fake-gitlab');
  return await fakeModule.startFakeGitLab(options);
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
