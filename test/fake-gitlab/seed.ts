import { FakeDb, NewFile } from './db';
import { ACCESS_LEVEL, FakePackageStatus, FakePackageType, TokenScope } from './model';

export interface SeedOptions {
  /** Packages in project 'acme/big' (default 250). */
  largeProjectPackages?: number;
  /** Packages in group 'bench' spread across its projects (default 0 = no bench group). */
  benchGroupPackages?: number;
  /** Include the hostile-name package, image and tag (default true). */
  hostile?: boolean;
  /** Tags of the container image `acme/big/load-test` (default 3,000). */
  registryTags?: number;
}

export const GROUP_IDS = {
  acme: 10,
  platform: 11,
  tools: 12,
  other: 13,
  bench: 14,
} as const;

export const PROJECT_IDS = {
  webApp: 20,
  api: 21,
  cli: 22,
  big: 23,
  secret: 24,
} as const;

export const GROUP_PATHS = {
  acme: 'acme',
  platform: 'acme/platform',
  tools: 'acme/platform/tools',
  other: 'other',
  bench: 'bench',
} as const;

export const PROJECT_PATHS = {
  webApp: 'acme/web-app',
  api: 'acme/platform/api',
  cli: 'acme/platform/tools/cli',
  big: 'acme/big',
  secret: 'other/secret',
} as const;

/** Bench projects are `bench/service-01` … `bench/service-NN`, ids from this base. */
export const BENCH_PROJECT_ID_BASE = 300;
export const BENCH_PROJECT_COUNT = 20;

export const USER_IDS = {
  maintainer: 1,
  developer: 2,
  outsider: 3,
  guest: 4,
  reporter: 5,
  releaseBot: 6,
} as const;

export const HOSTILE_PACKAGE_NAME = `<img src=x onerror=alert(1)>"'&amp;`;
export const HOSTILE_FILE_NAME = `"><svg onload=alert(1)>.txt`;
export const HOSTILE_TAG = `<script>alert('tag')</script>`;
/** A package of its own (so single-version counts stay), built by a pipeline whose every text field is hostile. */
export const HOSTILE_BUILD_PACKAGE_NAME = `build"><svg onload=alert('build')>`;
export const HOSTILE_VERSION = `2.0.0<img src=x onerror=alert('version')>`;
export const HOSTILE_REF = `main"><script>alert('ref')</script>`;
export const HOSTILE_SHA = `<b onmouseover=alert('sha')>d00dfeed</b>`;
export const HOSTILE_USER_NAME = `<iframe src=javascript:alert('user')></iframe>`;
export const HOSTILE_USERNAME = `mallory"><svg onload=alert('username')>`;
export const HOSTILE_USER_ID = 66;

/** PRIVATE-TOKEN values. They look like real PATs but only this fake knows them. */
export const TOKENS = {
  maintainer: 'glpat-FakeMaintainer0000001',
  developer: 'glpat-FakeDeveloper00000002',
  readApi: 'glpat-FakeReadApiScope00003',
  expired: 'glpat-FakeExpiredToken00004',
  revoked: 'glpat-FakeRevokedToken00005',
  outsider: 'glpat-FakeOutsider000000006',
  guest: 'glpat-FakeGuestRole00000007',
  reporter: 'glpat-FakeReporterRole00008',
} as const;
export type TokenName = keyof typeof TOKENS;

/** Small deterministic PRNG (mulberry32) so seeds never depend on Math.random. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface VersionSpec {
  version: string | null;
  files: NewFile[];
  tags?: string[];
  status?: FakePackageStatus;
  /** Number of pipelines that built this version (0 = uploaded without CI). */
  pipelines?: number;
  creatorId?: number | null;
}

export function seedDatabase(db: FakeDb, opts: SeedOptions = {}): void {
  const bigCount = opts.largeProjectPackages ?? 250;
  const benchCount = opts.benchGroupPackages ?? 0;
  const hostile = opts.hostile ?? true;
  const rand = prng(20240115);

  // Users and tokens.
  db.addUser({ id: USER_IDS.maintainer, username: 'alice', name: 'Alice Maintainer' });
  db.addUser({ id: USER_IDS.developer, username: 'bob', name: 'Bob Developer' });
  db.addUser({ id: USER_IDS.outsider, username: 'olivia', name: 'Olivia Outsider' });
  db.addUser({ id: USER_IDS.guest, username: 'gary', name: 'Gary Guest' });
  db.addUser({ id: USER_IDS.reporter, username: 'rita', name: 'Rita Reporter' });
  db.addUser({ id: USER_IDS.releaseBot, username: 'release-bot', name: 'Release Bot' });
  db.setIdBase('user', 100);
  const token = (name: TokenName, userId: number, scopes: TokenScope[], state: 'active' | 'expired' | 'revoked' = 'active') =>
    db.addToken({ token: TOKENS[name], name, userId, scopes, state });
  token('maintainer', USER_IDS.maintainer, ['api']);
  token('developer', USER_IDS.developer, ['api']);
  token('readApi', USER_IDS.maintainer, ['read_api']);
  token('expired', USER_IDS.maintainer, ['api'], 'expired');
  token('revoked', USER_IDS.maintainer, ['api'], 'revoked');
  token('outsider', USER_IDS.outsider, ['api']);
  token('guest', USER_IDS.guest, ['api']);
  token('reporter', USER_IDS.reporter, ['api']);

  // Groups and projects.
  db.addGroup({ id: GROUP_IDS.acme, path: 'acme', name: 'Acme', visibility: 'public', description: 'Acme Corporation' });
  db.addGroup({ id: GROUP_IDS.platform, path: 'platform', name: 'Platform', parentId: GROUP_IDS.acme, visibility: 'private' });
  db.addGroup({ id: GROUP_IDS.tools, path: 'tools', name: 'Tools', parentId: GROUP_IDS.platform, visibility: 'private' });
  db.addGroup({ id: GROUP_IDS.other, path: 'other', name: 'Other', visibility: 'private' });
  db.addProject({ id: PROJECT_IDS.webApp, path: 'web-app', name: 'Web App', groupId: GROUP_IDS.acme, visibility: 'public' });
  db.addProject({ id: PROJECT_IDS.api, path: 'api', name: 'API', groupId: GROUP_IDS.platform, visibility: 'private' });
  db.addProject({ id: PROJECT_IDS.cli, path: 'cli', name: 'CLI', groupId: GROUP_IDS.tools, visibility: 'private' });
  db.addProject({ id: PROJECT_IDS.big, path: 'big', name: 'Big', groupId: GROUP_IDS.acme, visibility: 'private' });
  db.addProject({ id: PROJECT_IDS.secret, path: 'secret', name: 'Secret', groupId: GROUP_IDS.other, visibility: 'private' });

  db.addMember({ userId: USER_IDS.maintainer, source: 'group', sourceId: GROUP_IDS.acme, accessLevel: ACCESS_LEVEL.maintainer });
  db.addMember({ userId: USER_IDS.developer, source: 'group', sourceId: GROUP_IDS.acme, accessLevel: ACCESS_LEVEL.developer });
  db.addMember({ userId: USER_IDS.guest, source: 'group', sourceId: GROUP_IDS.acme, accessLevel: ACCESS_LEVEL.guest });
  db.addMember({ userId: USER_IDS.reporter, source: 'group', sourceId: GROUP_IDS.acme, accessLevel: ACCESS_LEVEL.reporter });
  db.addMember({ userId: USER_IDS.releaseBot, source: 'group', sourceId: GROUP_IDS.acme, accessLevel: ACCESS_LEVEL.maintainer });

  db.setIdBase('pipeline', 7001);
  db.setIdBase('package', 101);
  db.setIdBase('file', 5001);
  db.setIdBase('buildInfo', 9001);
  db.setIdBase('tag', 301);

  const pipelineUsers = [USER_IDS.maintainer, USER_IDS.developer, USER_IDS.releaseBot, null];
  const statuses = ['success', 'success', 'success', 'failed', 'success', 'canceled'];
  const sources = ['push', 'push', 'web', 'schedule', 'merge_request_event'];
  let pipelineCounter = 0;
  const newPipelines = (projectId: number, count: number, ref: string): number[] => {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const n = pipelineCounter++;
      ids.push(
        db.addPipeline({
          projectId,
          ref,
          status: statuses[n % statuses.length],
          source: sources[n % sources.length],
          userId: pipelineUsers[n % pipelineUsers.length],
        }).id,
      );
    }
    return ids;
  };

  const add = (projectId: number, type: FakePackageType, name: string, versions: VersionSpec[], conanPackageName?: string) => {
    for (const v of versions) {
      db.tick(3600 + Math.floor(rand() * 7200));
      const pipelineIds = newPipelines(projectId, v.pipelines ?? 1, v.version && /^v?\d/.test(v.version) ? `v${v.version.replace(/^v/, '')}` : 'main');
      db.addPackage({
        projectId,
        name,
        version: v.version,
        packageType: type,
        conanPackageName,
        status: v.status,
        tags: v.tags,
        pipelineIds,
        creatorId: v.creatorId === undefined ? (pipelineIds.length ? USER_IDS.releaseBot : USER_IDS.maintainer) : v.creatorId,
        files: v.files,
      });
    }
  };
  const kb = (n: number) => Math.round(n * 1024);

  // acme/web-app (public)
  const w = PROJECT_IDS.webApp;
  add(w, 'npm', '@acme/ui', [
    { version: '1.0.0', files: [{ fileName: 'acme-ui-1.0.0.tgz', size: kb(182.4) }] },
    { version: '1.1.0', files: [{ fileName: 'acme-ui-1.1.0.tgz', size: kb(190.1) }] },
    { version: '1.2.0', tags: ['latest'], pipelines: 3, files: [{ fileName: 'acme-ui-1.2.0.tgz', size: kb(201.7) }] },
    { version: '2.0.0-beta.1', tags: ['next', 'beta'], files: [{ fileName: 'acme-ui-2.0.0-beta.1.tgz', size: kb(240.3) }] },
  ]);
  add(w, 'npm', 'left-pad-lite', [
    { version: '0.1.0', pipelines: 0, files: [{ fileName: 'left-pad-lite-0.1.0.tgz', size: 1843 }] },
    { version: '0.2.0', pipelines: 0, tags: ['latest'], files: [{ fileName: 'left-pad-lite-0.2.0.tgz', size: 1902 }] },
  ]);
  add(w, 'generic', 'web-assets', [
    { version: '1.0.0', files: [{ fileName: 'dist.zip', size: kb(3310) }, { fileName: 'checksums.txt', size: 194 }] },
    {
      version: '1.1.0',
      pipelines: 25,
      files: [
        { fileName: 'dist.zip', size: kb(3422) },
        { fileName: 'checksums.txt', size: 194 },
        { fileName: 'docs%2Findex.html', size: kb(14.2) },
        { fileName: 'dist.zip', size: kb(3423), status: 'pending_destruction' },
      ],
    },
  ]);
  add(w, 'helm', 'web-app', [
    { version: '0.1.0', files: [{ fileName: 'web-app-0.1.0.tgz', size: kb(4.1) }] },
    { version: '0.2.0', files: [{ fileName: 'web-app-0.2.0.tgz', size: kb(4.3) }] },
  ]);
  if (hostile) {
    add(w, 'generic', HOSTILE_PACKAGE_NAME, [
      { version: '1.0.0', tags: [HOSTILE_TAG], pipelines: 0, files: [{ fileName: HOSTILE_FILE_NAME, size: 64 }] },
    ]);
  }

  // acme/platform/api (private)
  const a = PROJECT_IDS.api;
  const maven = (artifact: string, v: string, jarKb: number): NewFile[] => [
    { fileName: `${artifact}-${v}.jar`, size: kb(jarKb) },
    { fileName: `${artifact}-${v}.pom`, size: 2311 },
    { fileName: `${artifact}-${v}-sources.jar`, size: kb(jarKb * 0.6) },
  ];
  add(a, 'maven', 'com/acme/platform/api-client', [
    { version: '1.0.0', files: maven('api-client', '1.0.0', 2210) },
    { version: '1.1.0', files: maven('api-client', '1.1.0', 2254) },
    { version: '1.2.0-SNAPSHOT', files: maven('api-client', '1.2.0-20240301.101500-1', 2290) },
    // The versionless package holding the artifact-level maven-metadata.xml.
    { version: null, pipelines: 0, files: [{ fileName: 'maven-metadata.xml', size: 412 }] },
  ]);
  add(a, 'pypi', 'acme-platform-sdk', [
    {
      version: '0.9.0',
      files: [
        { fileName: 'acme_platform_sdk-0.9.0-py3-none-any.whl', size: kb(48.2) },
        { fileName: 'acme_platform_sdk-0.9.0.tar.gz', size: kb(39.9) },
      ],
    },
    {
      version: '1.0.0',
      files: [
        { fileName: 'acme_platform_sdk-1.0.0-py3-none-any.whl', size: kb(51.6) },
        { fileName: 'acme_platform_sdk-1.0.0.tar.gz', size: kb(42.0) },
      ],
    },
  ]);
  add(a, 'pypi', 'acme-broken-upload', [
    { version: '0.1.0', status: 'error', files: [{ fileName: 'acme_broken_upload-0.1.0.tar.gz', size: kb(3.3) }] },
  ]);
  add(a, 'nuget', 'Acme.Platform.Client', [
    { version: '3.1.0', files: [{ fileName: 'acme.platform.client.3.1.0.nupkg', size: kb(311) }] },
    {
      version: '3.2.0',
      files: [
        { fileName: 'acme.platform.client.3.2.0.nupkg', size: kb(318) },
        { fileName: 'acme.platform.client.3.2.0.snupkg', size: kb(96) },
      ],
    },
  ]);
  add(a, 'nuget', 'Acme.Platform.Legacy', [
    { version: '1.0.0', status: 'deprecated', files: [{ fileName: 'acme.platform.legacy.1.0.0.nupkg', size: kb(120) }] },
  ]);
  add(a, 'nuget', 'NuGet.Temporary.Package', [
    { version: '4a3f0c1e-9b1d-4d2f-8d64-2f1c0b9a7e55', status: 'processing', pipelines: 0, files: [{ fileName: 'package.nupkg', size: kb(205), status: 'processing' }] },
  ]);
  add(
    a,
    'conan',
    'acme-logging/1.4.2@acme/stable',
    [
      {
        version: '1.4.2',
        files: [
          { fileName: 'conanfile.py', size: 1820 },
          { fileName: 'conanmanifest.txt', size: 310 },
          { fileName: 'conan_export.tgz', size: kb(2.2) },
          { fileName: 'conaninfo.txt', size: 642 },
          { fileName: 'conan_package.tgz', size: kb(388) },
        ],
      },
    ],
    'acme-logging',
  );
  add(
    a,
    'conan',
    'acme-logging/1.5.0@acme/stable',
    [{ version: '1.5.0', files: [{ fileName: 'conanfile.py', size: 1877 }, { fileName: 'conanmanifest.txt', size: 310 }, { fileName: 'conan_package.tgz', size: kb(401) }] }],
    'acme-logging',
  );
  add(a, 'golang', 'gitlab.example.com/acme/platform/api', [
    { version: 'v1.0.0', files: [{ fileName: 'v1.0.0.mod', size: 212 }, { fileName: 'v1.0.0.info', size: 61 }, { fileName: 'v1.0.0.zip', size: kb(75) }] },
    { version: 'v1.1.0', files: [{ fileName: 'v1.1.0.mod', size: 231 }, { fileName: 'v1.1.0.info', size: 61 }, { fileName: 'v1.1.0.zip', size: kb(81) }] },
  ]);
  // Composer packages are built from the repository on demand, so they have no files.
  add(a, 'composer', 'acme/platform-api', [{ version: '2.0.0', files: [] }]);
  add(a, 'terraform_module', 'vpc/aws', [
    { version: '1.0.0', files: [{ fileName: 'vpc-aws-1.0.0.tgz', size: kb(12) }] },
    { version: '1.1.0', files: [{ fileName: 'vpc-aws-1.1.0.tgz', size: kb(13) }] },
  ]);
  add(a, 'npm', '@acme/old-widget', [
    { version: '0.0.1', status: 'pending_destruction', files: [{ fileName: 'acme-old-widget-0.0.1.tgz', size: kb(8), status: 'pending_destruction' }] },
  ]);

  // acme/platform/tools/cli (private)
  const c = PROJECT_IDS.cli;
  add(c, 'rubygems', 'acme-cli', [
    { version: '0.3.0', files: [{ fileName: 'acme-cli-0.3.0.gem', size: kb(21) }, { fileName: 'acme-cli.gemspec', size: 911 }] },
    { version: '0.4.0', files: [{ fileName: 'acme-cli-0.4.0.gem', size: kb(22) }, { fileName: 'acme-cli.gemspec', size: 934 }] },
  ]);
  add(c, 'debian', 'acme-cli', [
    {
      version: '0.4.0-1',
      files: [
        { fileName: 'acme-cli_0.4.0-1_amd64.deb', size: kb(1402) },
        { fileName: 'acme-cli_0.4.0-1.dsc', size: 1120 },
        { fileName: 'acme-cli_0.4.0-1_amd64.changes', size: 1685 },
      ],
    },
  ]);
  add(c, 'rpm', 'acme-cli', [{ version: '0.4.0', files: [{ fileName: 'acme-cli-0.4.0-1.x86_64.rpm', size: kb(1390) }] }]);
  add(c, 'ml_model', 'sentiment-classifier', [
    { version: '1.0.0', files: [{ fileName: 'model.pkl', size: kb(5120) }, { fileName: 'MLmodel', size: 482 }, { fileName: 'requirements.txt', size: 96 }] },
    { version: '2.0.0', files: [{ fileName: 'model.pkl', size: kb(6020) }, { fileName: 'MLmodel', size: 497 }, { fileName: 'requirements.txt', size: 101 }] },
  ]);
  add(c, 'generic', 'acme-cli-binaries', [
    {
      version: '0.4.0',
      files: [
        { fileName: 'acme-cli-linux-amd64', size: kb(8200) },
        { fileName: 'acme-cli-darwin-arm64', size: kb(8010) },
        { fileName: 'acme-cli-windows-amd64.exe', size: kb(8350) },
        { fileName: 'SHA256SUMS', size: 301 },
      ],
    },
  ]);

  // other/secret (private, nobody above is a member)
  add(PROJECT_IDS.secret, 'generic', 'secret-sauce', [{ version: '1.0.0', files: [{ fileName: 'recipe.txt', size: 777 }] }]);
  add(PROJECT_IDS.secret, 'npm', '@other/secret', [{ version: '1.0.0', files: [{ fileName: 'other-secret-1.0.0.tgz', size: kb(2) }] }]);

  // acme/big (private): many packages, five versions per name, rotating formats.
  const bigTypes: FakePackageType[] = ['npm', 'maven', 'pypi', 'generic', 'nuget'];
  for (let i = 0; i < bigCount; i++) {
    const nameIdx = Math.floor(i / 5);
    const type = bigTypes[nameIdx % bigTypes.length];
    const version = `${1 + (i % 5)}.${nameIdx % 3}.${i % 7}`;
    const base = `big-lib-${String(nameIdx).padStart(3, '0')}`;
    const name = type === 'maven' ? `com/acme/big/${base}` : type === 'nuget' ? `Acme.Big.Lib${String(nameIdx).padStart(3, '0')}` : base;
    // Every tenth package shares its predecessor's timestamp: GitLab has no tie-breaker.
    const createdAt = i % 10 === 9 ? db.tick(0) : db.tick(600);
    const pipelineIds = i % 3 === 0 ? [] : newPipelines(PROJECT_IDS.big, 1, 'main');
    db.addPackage({
      projectId: PROJECT_IDS.big,
      name,
      version,
      packageType: type,
      pipelineIds,
      createdAt,
      creatorId: USER_IDS.releaseBot,
      tags: type === 'npm' && i % 5 === 4 ? ['latest'] : [],
      files: [{ fileName: bigFileName(type, base, version), size: 1024 + ((i * 7919) % 900_000) }],
    });
  }

  // Last, so the ids of everything seeded above stay the same with or without it.
  if (hostile) {
    db.addUser({ id: HOSTILE_USER_ID, username: HOSTILE_USERNAME, name: HOSTILE_USER_NAME });
    const pipeline = db.addPipeline({ projectId: PROJECT_IDS.webApp, ref: HOSTILE_REF, sha: HOSTILE_SHA, userId: HOSTILE_USER_ID });
    db.addPackage({
      projectId: PROJECT_IDS.webApp,
      name: HOSTILE_BUILD_PACKAGE_NAME,
      version: HOSTILE_VERSION,
      packageType: 'generic',
      tags: [HOSTILE_TAG],
      pipelineIds: [pipeline.id],
      creatorId: HOSTILE_USER_ID,
      files: [{ fileName: HOSTILE_FILE_NAME, size: 32 }],
    });
  }

  if (benchCount > 0) seedBench(db, benchCount);
}

function bigFileName(type: FakePackageType, base: string, version: string): string {
  switch (type) {
    case 'npm':
      return `${base}-${version}.tgz`;
    case 'maven':
      return `${base}-${version}.jar`;
    case 'pypi':
      return `${base.replace(/-/g, '_')}-${version}-py3-none-any.whl`;
    case 'nuget':
      return `${base}.${version}.nupkg`;
    default:
      return `${base}-${version}.bin`;
  }
}

function seedBench(db: FakeDb, count: number): void {
  db.addGroup({ id: GROUP_IDS.bench, path: 'bench', name: 'Bench', visibility: 'private' });
  db.addMember({ userId: USER_IDS.maintainer, source: 'group', sourceId: GROUP_IDS.bench, accessLevel: ACCESS_LEVEL.maintainer });
  db.addMember({ userId: USER_IDS.developer, source: 'group', sourceId: GROUP_IDS.bench, accessLevel: ACCESS_LEVEL.developer });
  const projectIds: number[] = [];
  for (let i = 0; i < BENCH_PROJECT_COUNT; i++) {
    const path = `service-${String(i + 1).padStart(2, '0')}`;
    projectIds.push(db.addProject({ id: BENCH_PROJECT_ID_BASE + i, path, groupId: GROUP_IDS.bench, visibility: 'private' }).id);
  }
  const types: FakePackageType[] = ['npm', 'maven', 'pypi', 'generic', 'nuget', 'helm', 'golang'];
  // One pipeline per project per 25 packages keeps 50k rows cheap while most rows have one.
  const pipelineFor = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const projectId = projectIds[i % projectIds.length];
    const nameIdx = Math.floor(i / 4);
    const type = types[nameIdx % types.length];
    const name = `bench-${type}-${String(nameIdx).padStart(5, '0')}`;
    const version = `${i % 4}.${nameIdx % 10}.${i % 13}`;
    const key = `${projectId}:${Math.floor(i / 25)}`;
    let pipelineId = pipelineFor.get(key);
    if (pipelineId === undefined && i % 5 !== 0) {
      pipelineId = db.addPipeline({ projectId, ref: 'main', userId: USER_IDS.releaseBot }).id;
      pipelineFor.set(key, pipelineId);
    }
    db.addPackage({
      projectId,
      name,
      version,
      packageType: type,
      createdAt: db.tick(7),
      creatorId: USER_IDS.releaseBot,
      pipelineIds: pipelineId !== undefined && i % 5 !== 0 ? [pipelineId] : [],
      files: [{ fileName: `${name}-${version}.bin`, size: 512 + ((i * 104729) % 2_000_000) }],
    });
  }
}
