/**
 * Deterministic container registry seed: root and nested images, a repository with thousands
 * of tags, multi-arch and null-size tags, protected tags, repositories being deleted, a project
 * whose registry is disabled, and hostile image/tag names.
 */
import type { FakeDb } from './db';
import type { SeedOptions } from './seed';
import { PROJECT_IDS } from './seed';
import { FakeRegistry } from './registry-store';

export const REPOSITORY_IDS = {
  /** acme/web-app root image (`name: ""`). */
  webRoot: 501,
  webFrontend: 502,
  /** acme/web-app/tools/builder: an image two levels down. */
  webBuilder: 503,
  webHostile: 504,
  /** acme/platform/api root image: protected tags, dates for keep_n / older_than. */
  apiRoot: 511,
  apiWorker: 512,
  /** status `delete_failed`. */
  apiFailed: 513,
  /** status `delete_scheduled`, left alone by the workers (a stuck deletion). */
  apiScheduled: 514,
  /** acme/platform/tools/cli, whose registry is disabled. */
  cliRoot: 521,
  /** acme/big/load-test: `seed.registryTags` tags (default 3,000). */
  bigLoad: 531,
  secretRoot: 541,
} as const;

export const HOSTILE_IMAGE_NAME = `<img src=x onerror=alert('image')>`;
export const HOSTILE_IMAGE_TAG = `"><svg onload=alert('tag')>`;
/** Tags of the acme/platform/api root image, in name order. */
export const API_ROOT_TAGS = ['feature-login', 'feature-search', 'latest', 'main-3f2a9c1', 'pre-release-7', 'release-2024.06', 'v1.0.0', 'v1.1.0', 'v1.2.0', 'v2.0.0', 'v2.0.0-rc1'] as const;

const HOUR = 3600_000;

export function seedRegistry(db: FakeDb, reg: FakeRegistry, opts: SeedOptions = {}): void {
  void db;
  const base = Date.parse('2024-02-01T10:00:00.000Z');
  const at = (hours: number): string => new Date(base + hours * HOUR).toISOString();
  const hostile = opts.hostile ?? true;

  // acme/web-app (public)
  const w = PROJECT_IDS.webApp;
  reg.addRepository({ id: REPOSITORY_IDS.webRoot, projectId: w, name: '', createdAt: at(0) });
  ['1.0.0', '1.1.0', '1.2.0', '2.0.0-rc.1', 'main', 'stable', 'latest'].forEach((name, i) => reg.addTag(REPOSITORY_IDS.webRoot, { name, createdAt: at(24 * (i + 1)) }));
  // A multi-arch index: no config, so no revision, and no size.
  reg.addTag(REPOSITORY_IDS.webRoot, { name: 'multiarch', revision: null, totalSize: null, createdAt: at(200) });
  // A manifest the registry knows nothing more about.
  reg.addTag(REPOSITORY_IDS.webRoot, { name: 'orphan', revision: null, totalSize: null, createdAt: null });
  if (hostile) reg.addTag(REPOSITORY_IDS.webRoot, { name: HOSTILE_IMAGE_TAG, createdAt: at(210) });
  reg.addRepository({ id: REPOSITORY_IDS.webFrontend, projectId: w, name: 'frontend', createdAt: at(1) });
  ['latest', 'v3.4.1', 'v3.5.0'].forEach((name, i) => reg.addTag(REPOSITORY_IDS.webFrontend, { name, createdAt: at(30 + i) }));
  reg.addRepository({ id: REPOSITORY_IDS.webBuilder, projectId: w, name: 'tools/builder', createdAt: at(2) });
  reg.addTag(REPOSITORY_IDS.webBuilder, { name: 'bookworm', createdAt: at(40) });
  if (hostile) {
    reg.addRepository({ id: REPOSITORY_IDS.webHostile, projectId: w, name: HOSTILE_IMAGE_NAME, createdAt: at(3) });
    reg.addTag(REPOSITORY_IDS.webHostile, { name: 'v1', createdAt: at(41) });
  }

  // acme/platform/api (private): protection rules, dates spread for keep_n and older_than.
  const a = PROJECT_IDS.api;
  reg.addRepository({ id: REPOSITORY_IDS.apiRoot, projectId: a, name: '', createdAt: at(0) });
  const now = Date.now();
  API_ROOT_TAGS.forEach((name, i) => {
    // Two tags were pushed in the last hours; the rest months ago.
    const createdAt = name === 'feature-search' || name === 'v2.0.0-rc1' ? new Date(now - (i + 1) * HOUR).toISOString() : at(48 * (i + 1));
    reg.addTag(REPOSITORY_IDS.apiRoot, { name, createdAt });
  });
  // Unanchored RE2 patterns: `release` also covers `pre-release-7`.
  reg.addTagRule({ projectId: a, tagNamePattern: '^v\\d+\\.\\d+\\.\\d+$', minimumAccessLevelForPush: 'maintainer', minimumAccessLevelForDelete: 'owner' });
  reg.addTagRule({ projectId: a, tagNamePattern: 'release', minimumAccessLevelForPush: 'maintainer', minimumAccessLevelForDelete: 'maintainer' });
  reg.addRepository({ id: REPOSITORY_IDS.apiWorker, projectId: a, name: 'worker', createdAt: at(5) });
  ['latest', 'v1.0.0', 'nightly-20240301', 'nightly-20240302'].forEach((name, i) => reg.addTag(REPOSITORY_IDS.apiWorker, { name, createdAt: at(60 + i) }));
  reg.addRepository({ id: REPOSITORY_IDS.apiFailed, projectId: a, name: 'legacy-job', createdAt: at(6), status: 'delete_failed' });
  reg.addTag(REPOSITORY_IDS.apiFailed, { name: 'old', createdAt: at(7) });
  reg.addRepository({ id: REPOSITORY_IDS.apiScheduled, projectId: a, name: 'retired', createdAt: at(8), status: 'delete_scheduled', stuck: true });

  // acme/platform/tools/cli (private): registry disabled, so R1/R5–R8 answer 403.
  reg.addRepository({ id: REPOSITORY_IDS.cliRoot, projectId: PROJECT_IDS.cli, name: '', createdAt: at(9) });
  reg.addTag(REPOSITORY_IDS.cliRoot, { name: 'latest', createdAt: at(10) });
  reg.accessLevels.set(PROJECT_IDS.cli, 'disabled');

  // acme/big: one image with thousands of tags.
  const count = opts.registryTags ?? 3000;
  reg.addRepository({ id: REPOSITORY_IDS.bigLoad, projectId: PROJECT_IDS.big, name: 'load-test', createdAt: at(11) });
  for (let i = 1; i <= count; i++) {
    reg.addTag(REPOSITORY_IDS.bigLoad, { name: `build-${String(i).padStart(5, '0')}`, createdAt: at(100 + i) });
  }
  reg.addTag(REPOSITORY_IDS.bigLoad, { name: 'latest', createdAt: at(100 + count) });

  // other/secret: nobody in the token list can see it.
  reg.addRepository({ id: REPOSITORY_IDS.secretRoot, projectId: PROJECT_IDS.secret, name: '', createdAt: at(12) });
  reg.addTag(REPOSITORY_IDS.secretRoot, { name: 'latest', createdAt: at(13) });
}
