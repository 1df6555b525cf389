/** Nonces for the webview Content-Security-Policy. */
import { randomBytes } from 'node:crypto';

/**
 * A fresh CSP nonce: 18 random bytes from the OS CSPRNG, base64 (24 characters, no padding).
 * `Math.random` is predictable and must not be used here.
 */
export function renderNonce(): string {
  return randomBytes(18).toString('base64');
}

/** The CSP `base64-value` grammar; anything else would break or widen the policy. */
export function isValidNonce(nonce: string): boolean {
  return /^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(nonce);
}
