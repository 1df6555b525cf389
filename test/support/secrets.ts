// Every secret the test tiers use, so the leak scan can look for each one (no vscode imports).
import { TOKENS } from '../fake-gitlab/seed';

/** Proxy credentials of the host tier's tinyproxy with BasicAuth. */
export const HOST_PROXY_USER = 'bob';
export const HOST_PROXY_PASSWORD = 'host-proxy-pass-5f3a';

/** Tokens typed into prompts by tests (wrong or throwaway ones included). */
const TYPED_TOKENS = ['glpat-wrong'];

/** Label → secret; labels are what a leak report prints, never the values. */
export function testSecrets(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(TOKENS)) out[`token ${name}`] = value;
  TYPED_TOKENS.forEach((value, i) => (out[`typed token ${i + 1}`] = value));
  out['proxy password'] = HOST_PROXY_PASSWORD;
  out['proxy Basic credentials'] = Buffer.from(`${HOST_PROXY_USER}:${HOST_PROXY_PASSWORD}`).toString('base64');
  return out;
}
