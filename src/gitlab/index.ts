/**
 * The GitLab Packages API module: everything else in the extension talks to GitLab through
 * this file. No `vscode` imports here or below; plain mocha tests run it against a fake server.
 */
export {
  GitLabClient,
  listAll,
  encodeId,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type GitLabClientOptions,
  type DownloadSink,
  type DownloadOptions,
  type DownloadResult,
  type GitLabVersion,
} from './client';
export { GitLabError, isGitLabError, type GitLabErrorKind, type ErrorBodyShape, type TlsProblem } from './errors';
export { resolveProxy, proxyFor, bypassesProxy, envValue, trustedCertificates, SYSTEM_CA_BUNDLES, type ProxyPlan, type ProxySource, type ProxySettingsInput, type TlsTrust, type TrustResult } from './network';
export { apiRootOf } from './transport';
export * from './types';
export { BeyondApi, type DeleteCheck } from './beyond';
export * from './protection';
export * from './generic';
export type { GitLabProjectStatistics } from './statistics';
export * from './registry-types';
export { KEYSET_TAGS_PER_PAGE, encodeTagName } from './registry';
