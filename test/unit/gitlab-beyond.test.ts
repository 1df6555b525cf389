import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { BEYOND_TOKENS, GROUP_IDS, PROJECT_IDS, PROJECT_PATHS, startFakeGitLab, type FakeGitLab } from '../fake-gitlab';
import { GitLabClient, GitLabError, listAll, type GitLabClientOptions, type GenericUploadTarget } from '../../src/gitlab';
import { rejectionOf } from '../support/wait';

const FAST: Partial<GitLabClientOptions> = { retryBaseDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs: 50 };

async function rejection(p: Promise<unknown>): Promise<GitLabError> {
  const err = await rejectionOf(p);
  assert.ok(err instanceof GitLabError, `expected a GitLabError, got ${String(err)}`);
  return err;
}

function bufferSource(data: Buffer): { open: () => Readable; size: number } {
  return { open: () => Readable.from([data]), size: data.length };
}

describe('GitLab API beyond packages (BEYOND.md) against the fake', function () {
  let fake: FakeGitLab;
  const clients: GitLabClient[] = [];
  /** `null`: anonymous. */
  const client = (token: string | null = fake.tokens.maintainer, opts: Partial<GitLabClientOptions> = {}): GitLabClient => {
    const c = new GitLabClient({ baseUrl: fake.url, token: token ?? undefined, ...FAST, ...opts });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    fake = await startFakeGitLab({ basePath: '/gitlab' });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await fake.close();
  });

  describe('protection rules (§1.1–1.3)', () => {
    const api = PROJECT_IDS.api;

    it('creates, lists, updates and deletes a rule with GitLab’s field names', async () => {
      const b = client().beyond;
      assert.deepEqual(await b.listProtectionRules(api), []);
      const rule = await b.createProtectionRule(api, { packageNamePattern: '@acme/*', packageType: 'npm', minimumAccessLevelForPush: 'maintainer' });
      assert.deepEqual(Object.keys(rule), ['id', 'project_id', 'package_name_pattern', 'package_type', 'minimum_access_level_for_delete', 'minimum_access_level_for_push']);
      assert.equal(rule.project_id, api);
      assert.equal(rule.minimum_access_level_for_delete, null);
      const post = fake.requests.find((r) => r.method === 'POST')!;
      assert.equal(post.url, `/gitlab/api/v4/projects/${api}/packages/protection/rules`);
      assert.equal(post.headers['content-type'], 'application/json');
      const updated = await b.updateProtectionRule(api, rule.id, { minimumAccessLevelForDelete: 'owner' });
      assert.equal(updated.package_name_pattern, '@acme/*', 'a partial update keeps what it did not send');
      assert.equal(updated.minimum_access_level_for_delete, 'owner');
      const cleared = await b.updateProtectionRule(api, rule.id, { minimumAccessLevelForPush: null });
      assert.equal(cleared.minimum_access_level_for_push, null);
      assert.equal(cleared.minimum_access_level_for_delete, 'owner');
      assert.deepEqual((await b.listProtectionRules(api)).map((r) => r.id), [rule.id]);
      await b.deleteProtectionRule(api, rule.id);
      assert.deepEqual(await b.listProtectionRules(api), []);
      const gone = await rejection(b.deleteProtectionRule(api, rule.id));
      assert.equal(gone.status, 404);
      assert.equal(gone.gitlabMessage, '404 Not found');
    });

    it('passes GitLab’s validation answers on word for word (400 {"error"}, 422 {"message":{"error"}})', async () => {
      const b = client().beyond;
      const cases: Array<[Parameters<typeof b.createProtectionRule>[1], number, string]> = [
        [{ packageNamePattern: 'x', packageType: 'npm' }, 400, 'minimum_access_level_for_push, minimum_access_level_for_delete are missing, at least one parameter must be provided'],
        [{ packageNamePattern: 'x', packageType: 'composer', minimumAccessLevelForPush: 'owner' }, 400, 'package_type does not have a valid value'],
        [{ packageNamePattern: 'x', packageType: 'npm', minimumAccessLevelForPush: 'developer' as never }, 400, 'minimum_access_level_for_push does not have a valid value'],
        [{ packageNamePattern: 'x', packageType: 'npm', minimumAccessLevelForDelete: '' as never }, 400, 'minimum_access_level_for_delete does not have a valid value'],
        [{ packageNamePattern: 'x', packageType: 'npm', minimumAccessLevelForPush: null, minimumAccessLevelForDelete: null }, 422, 'A rule must have at least a minimum access role for push or delete.'],
        [{ packageNamePattern: '*@scope/x', packageType: 'npm', minimumAccessLevelForPush: 'owner' }, 422, 'Package name pattern should be a valid NPM package name with optional wildcard characters.'],
        [{ packageNamePattern: 'a%b', packageType: 'npm', minimumAccessLevelForPush: 'owner' }, 422, 'Package name pattern should be a valid NPM package name with optional wildcard characters.'],
        [{ packageNamePattern: 'p'.repeat(256), packageType: 'generic', minimumAccessLevelForPush: 'owner' }, 422, 'Package name pattern is too long (maximum is 255 characters)'],
      ];
      for (const [input, status, said] of cases) {
        const err = await rejection(b.createProtectionRule(PROJECT_IDS.api, input));
        assert.equal(err.status, status, JSON.stringify(input));
        assert.equal(err.gitlabMessage, said, JSON.stringify(input));
      }
      await b.createProtectionRule(api, { packageNamePattern: 'dup', packageType: 'pypi', minimumAccessLevelForPush: 'owner' });
      const dup = await rejection(b.createProtectionRule(api, { packageNamePattern: 'dup', packageType: 'pypi', minimumAccessLevelForDelete: 'owner' }));
      assert.equal(dup.status, 422);
      assert.equal(dup.gitlabMessage, 'Package name pattern has already been taken');
      // The same pattern for another type is a different rule.
      await b.createProtectionRule(api, { packageNamePattern: 'dup', packageType: 'npm', minimumAccessLevelForPush: 'owner' });
      assert.equal((await b.listProtectionRules(api)).length, 2);
    });

    it('answers the permission matrix: Maintainer+ only, 404 for non-members, 401 without a valid token', async () => {
      const T = fake.tokens;
      const matrix: Array<[string | null, number | GitLabError['status'], string]> = [
        [T.developer, 403, '403 Forbidden'],
        [T.reporter, 403, '403 Forbidden'],
        [T.guest, 403, '403 Forbidden'],
        [T.outsider, 404, '404 Project Not Found'],
        [null, 401, '401 Unauthorized'],
        ['glpat-not-a-token', 401, '401 Unauthorized'],
      ];
      for (const [token, status, said] of matrix) {
        const err = await rejection(client(token).beyond.listProtectionRules(api));
        assert.equal(err.status, status, String(token));
        assert.equal(err.gitlabMessage, said);
      }
      // A non-member of a public project finds it, then lacks admin_package.
      assert.equal((await rejection(client(T.outsider).beyond.listProtectionRules(PROJECT_IDS.webApp))).status, 403);
      assert.deepEqual(await client(BEYOND_TOKENS.owner).beyond.listProtectionRules(api), []);
    });

    it('tells servers without the endpoint (no route) from 17.1–17.5 with the flag off', async () => {
      const b = client().beyond;
      fake.db.beyond.rulesEndpoint = 'missing';
      const missing = await rejection(b.listProtectionRules(api));
      assert.equal(missing.status, 404);
      assert.equal(missing.bodyShape, 'error');
      fake.db.beyond.rulesEndpoint = 'flag-off';
      const off = await rejection(b.listProtectionRules(api));
      assert.equal(off.status, 404);
      assert.equal(off.bodyShape, 'message');
      assert.equal(off.gitlabMessage, "'packages_protected_packages' feature flag is disabled");
    });

    it('models the delete-level flag: null while off, and no key at all on 17.1–17.9', async () => {
      const b = client().beyond;
      fake.db.beyond.deleteProtection = false;
      const r = await b.createProtectionRule(api, { packageNamePattern: 'x*', packageType: 'maven', minimumAccessLevelForPush: 'owner', minimumAccessLevelForDelete: 'owner' });
      assert.equal(r.minimum_access_level_for_delete, null);
      fake.db.beyond.omitDeleteLevelKey = true;
      const [listed] = await b.listProtectionRules(api);
      assert.ok(!('minimum_access_level_for_delete' in listed));
    });

    it('refuses a non-numeric rule id before sending, and GitLab 400s one that is', async () => {
      const b = client().beyond;
      await assert.rejects(b.deleteProtectionRule(api, 0), TypeError);
      const res = await fetch(`${fake.apiUrl}/projects/${api}/packages/protection/rules/invalid`, { method: 'DELETE', headers: { 'private-token': fake.tokens.maintainer } });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: 'package_protection_rule_id is invalid' });
    });
  });

  describe('deletes of protected packages (§1.5)', () => {
    const api = PROJECT_IDS.api;
    const pkgOf = (name: string) => fake.db.findPackage(PROJECT_PATHS.api, name)!;

    async function protect(pattern: string, type: string, del: 'owner' | 'admin' | null, push: 'maintainer' | 'owner' | null = null) {
      return client().beyond.createProtectionRule(api, { packageNamePattern: pattern, packageType: type, minimumAccessLevelForDelete: del, minimumAccessLevelForPush: push });
    }

    it('E6 answers 403 "Package is deletion protected." and E4 403 on the newest behaviour; Owners may delete', async () => {
      const pkg = [...fake.db.packages.values()].find((p) => p.projectId === api && p.packageType === 'maven' && p.status === 'default' && p.version)!;
      await protect(pkg.name.slice(0, 3).toUpperCase() + '*', 'maven', 'owner');
      const c = client();
      const fileId = pkg.fileIds[0];
      const e6 = await rejection(c.deletePackageFile(api, pkg.id, fileId));
      assert.equal(e6.status, 403);
      assert.equal(e6.gitlabMessage, '403 Forbidden - Package is deletion protected.');
      assert.equal(fake.db.file(fileId)!.status, 'default');
      const e4 = await rejection(c.deletePackage(api, pkg.id));
      assert.equal(e4.status, 403);
      assert.equal(fake.db.package(pkg.id)!.status, 'default');
      await client(BEYOND_TOKENS.owner).deletePackage(api, pkg.id);
      assert.equal(await c.beyond.checkPackageDeleted(api, pkg.id), 'gone');
    });

    it('older servers answer 204 and keep the package: the re-read says so', async () => {
      const pkg = pkgOf('acme-platform-sdk');
      await protect('acme-platform-sdk', pkg.packageType, 'owner');
      fake.db.beyond.legacyDelete204 = true;
      const c = client();
      await c.deletePackage(api, pkg.id);
      assert.equal(fake.db.package(pkg.id)!.status, 'default');
      assert.equal(await c.beyond.checkPackageDeleted(api, pkg.id), 'still_there');
    });

    it('push-only rules, null delete levels and the flag being off never block a delete', async () => {
      const pkg = pkgOf('acme-platform-sdk');
      await protect('*', pkg.packageType, null, 'owner');
      const c = client();
      fake.db.beyond.deleteProtection = false;
      await protect('acme-*', pkg.packageType, 'admin');
      await c.deletePackage(api, pkg.id);
      assert.equal(await c.beyond.checkPackageDeleted(api, pkg.id), 'gone');
    });
  });

  describe('project statistics (§2.1)', () => {
    it('gives packages_size (bytes of live files) and container_registry_size to Reporter+', async () => {
      fake.db.beyond.containerRegistrySize.set(PROJECT_IDS.api, 123_456_789);
      let expected = 0;
      for (const p of fake.db.packagesOfProject(PROJECT_IDS.api)) for (const f of fake.db.filesOfPackage(p.id)) if (f.status !== 'pending_destruction') expected += f.size;
      assert.ok(expected > 0);
      for (const token of [fake.tokens.maintainer, fake.tokens.reporter]) {
        const { project, statistics } = await client(token).beyond.getProjectStatistics(PROJECT_IDS.api);
        assert.equal(project.id, PROJECT_IDS.api);
        assert.equal(statistics?.packages_size, expected);
        assert.equal(statistics?.container_registry_size, 123_456_789);
      }
      assert.match(fake.requests.at(-1)!.url, /\?statistics=true$/);
    });

    it('leaves statistics out (not null) below Reporter and for anonymous callers', async () => {
      const guest = await client(fake.tokens.guest).beyond.getProjectStatistics(PROJECT_IDS.api);
      assert.equal(guest.statistics, undefined);
      assert.ok(!('statistics' in guest.project));
      const anonymous = await client(null).beyond.getProjectStatistics(PROJECT_IDS.webApp);
      assert.ok(!('statistics' in anonymous.project));
      const outsider = await client(fake.tokens.outsider).beyond.getProjectStatistics(PROJECT_IDS.webApp);
      assert.equal(outsider.statistics, undefined);
      // Without statistics=true nobody gets it.
      const plain = await client().getProject(PROJECT_IDS.api);
      assert.ok(!('statistics' in plain));
    });
  });

  describe('generic upload (§3)', () => {
    const web = PROJECT_IDS.webApp;
    const target = (over: Partial<GenericUploadTarget> = {}): GenericUploadTarget => ({ projectId: web, packageName: 'tool', packageVersion: '1.0.0', fileName: 'tool.bin', ...over });

    it('streams a file with Content-Length, answers 201, and the file downloads back byte for byte', async () => {
      const data = Buffer.from('hello generic packages\n'.repeat(100));
      const c = client();
      const seen: number[] = [];
      const res = await c.beyond.uploadGenericFile(target(), { ...bufferSource(data), onProgress: (sent, total) => seen.push(sent, total) });
      assert.equal(res.status, 201);
      assert.equal(res.file, undefined);
      const put = fake.requests.find((r) => r.method === 'PUT')!;
      assert.equal(put.url, `/gitlab/api/v4/projects/${web}/packages/generic/tool/1.0.0/tool.bin`);
      assert.equal(put.headers['content-length'], String(data.length));
      assert.equal(put.headers['content-type'], 'application/octet-stream');
      assert.deepEqual(seen.slice(-2), [data.length, data.length]);
      const pkg = fake.db.findPackage(web, 'tool', '1.0.0')!;
      assert.equal(pkg.packageType, 'generic');
      const files = (await listAll(c.listPackageFiles(web, pkg.id)));
      assert.equal(files[0].file_sha256, createHash('sha256').update(data).digest('hex'));
      const got: Buffer[] = [];
      await c.downloadPackageFile(web, await c.getPackage(web, pkg.id), files[0], (chunk) => void got.push(chunk));
      assert.deepEqual(Buffer.concat(got), data);
    });

    it('select=package_file answers 200 with the raw file record; sub-paths are stored encoded', async () => {
      const res = await client().beyond.uploadGenericFile(target({ path: 'dist/linux', fileName: 'tool' }), { ...bufferSource(Buffer.from('x')), select: 'package_file' });
      assert.equal(res.status, 200);
      assert.equal(res.file?.file_name, 'dist%2Flinux%2Ftool');
      assert.ok('file_store' in res.file! && 'verification_state' in res.file!, 'the model record, not the REST entity');
      assert.equal(fake.requests.at(-1)!.url, `/gitlab/api/v4/projects/${web}/packages/generic/tool/1.0.0/dist/linux/tool?select=package_file`);
    });

    it('status=hidden hides the package from lists; a later upload with status=default shows it again', async () => {
      const c = client();
      await c.beyond.uploadGenericFile(target({ status: 'hidden' }), bufferSource(Buffer.from('a')));
      const pkg = fake.db.findPackage(web, 'tool', '1.0.0')!;
      assert.equal(pkg.status, 'hidden');
      assert.ok(!(await listAll(c.listPackages({ kind: 'project', id: web }))).some((p) => p.id === pkg.id));
      await c.beyond.uploadGenericFile(target({ status: 'default', fileName: 'other.bin' }), bufferSource(Buffer.from('b')));
      assert.equal(fake.db.package(pkg.id)!.status, 'default');
    });

    it('duplicates: allowed by default, 400 when the direct namespace forbids them, exceptions anchored on name or version', async () => {
      const c = client();
      const up = (t: GenericUploadTarget) => c.beyond.uploadGenericFile(t, bufferSource(Buffer.from('z')));
      await up(target());
      await up(target());
      assert.equal(fake.db.filesOfPackage(fake.db.findPackage(web, 'tool', '1.0.0')!.id).length, 2);
      fake.db.beyond.namespaceSettings.set(GROUP_IDS.acme, { genericDuplicatesAllowed: false, genericDuplicateExceptionRegex: '.*-SNAPSHOT' });
      const dup = await rejection(up(target()));
      assert.equal(dup.status, 400);
      assert.equal(dup.gitlabMessage, '400 Bad request - Duplicate package is not allowed');
      await up(target({ fileName: 'new-name.bin' }));
      await up(target({ packageVersion: '1.0-SNAPSHOT' }));
      await up(target({ packageVersion: '1.0-SNAPSHOT' }));
      // Anchored: "x-SNAPSHOT-2" is not an exception.
      await up(target({ packageVersion: '1.0-SNAPSHOT-2' }));
      assert.equal((await rejection(up(target({ packageVersion: '1.0-SNAPSHOT-2' })))).status, 400);
    });

    it('push protection: 403 "Package protected." below the rule’s level; an Owner may push', async () => {
      await client().beyond.createProtectionRule(web, { packageNamePattern: 'TOOL*', packageType: 'generic', minimumAccessLevelForPush: 'owner' });
      const err = await rejection(client().beyond.uploadGenericFile(target(), bufferSource(Buffer.from('p'))));
      assert.equal(err.status, 403);
      assert.equal(err.gitlabMessage, '403 Forbidden - Package protected.');
      assert.equal(fake.db.findPackage(web, 'tool', '1.0.0'), undefined);
      assert.equal((await client(BEYOND_TOKENS.owner).beyond.uploadGenericFile(target(), bufferSource(Buffer.from('p')))).status, 201);
    });

    it('answers who may upload: Developer+, api scope; and refuses files above the plan limit', async () => {
      const T = fake.tokens;
      const cases: Array<[string | null, number, number, string]> = [
        [T.developer, web, 201, '201 Created'],
        [T.reporter, web, 403, '403 Forbidden'],
        [T.outsider, web, 403, '403 Forbidden'],
        [T.outsider, PROJECT_IDS.api, 404, '404 Project Not Found'],
        [null, web, 401, '401 Unauthorized'],
        [T.readApi, web, 403, 'insufficient_scope: The request requires higher privileges than provided by the access token.'],
      ];
      for (const [token, projectId, status, said] of cases) {
        const p = client(token).beyond.uploadGenericFile(target({ projectId }), bufferSource(Buffer.from('q')));
        if (status === 201) {
          assert.equal((await p).status, 201);
          continue;
        }
        const err = await rejection(p);
        assert.equal(err.status, status, String(token));
        assert.equal(err.gitlabMessage, said);
      }
      fake.db.beyond.genericMaxFileSize = 10;
      const big = await rejection(client().beyond.uploadGenericFile(target({ fileName: 'big.bin' }), bufferSource(Buffer.alloc(11))));
      assert.equal(big.status, 400);
      assert.equal(big.gitlabMessage, '400 Bad request - File is too large');
    });

    it('refuses hostile names before sending and encodes accepted ones exactly as GitLab decodes them', async () => {
      const c = client();
      const before = fake.requests.length;
      const bad: Array<Partial<GenericUploadTarget>> = [
        { packageName: '../etc' },
        { packageName: 'a/b' },
        { packageName: '..' },
        { packageName: '.' },
        { packageName: 'my tool' },
        { packageName: 'tööl' },
        { packageName: '' },
        { packageName: '%2e%2e' },
        { fileName: '..' },
        { fileName: 'a\\b' },
        { fileName: 'x\nb' },
        { fileName: '"><svg onload=alert(1)>.txt' },
        { packageVersion: '1..2' },
        { packageVersion: '1.0/2' },
        { packageVersion: '' },
        { packageVersion: '1.0 ' },
        { path: 'a/../b' },
        { path: 'a//b' },
      ];
      for (const over of bad) assert.throws(() => c.beyond.uploadGenericFile(target(over), bufferSource(Buffer.from('h'))), TypeError, JSON.stringify(over));
      assert.equal(fake.requests.length, before, 'nothing was sent');
      await c.beyond.uploadGenericFile(target({ packageName: 'a+b_c.d-e', packageVersion: '1.0.0+build_7', fileName: 'f+g.tar.gz' }), bufferSource(Buffer.from('ok')));
      assert.equal(fake.requests.at(-1)!.url, `/gitlab/api/v4/projects/${web}/packages/generic/a%2Bb_c.d-e/1.0.0%2Bbuild_7/f%2Bg.tar.gz`);
      const pkg = fake.db.findPackage(web, 'a+b_c.d-e', '1.0.0+build_7')!;
      assert.equal(fake.db.filesOfPackage(pkg.id)[0].fileName, 'f%2Bg.tar.gz');
    });

    it('the fake’s own checks match: names the client would refuse get GitLab’s 400', async () => {
      const res = await fetch(`${fake.apiUrl}/projects/${web}/packages/generic/${encodeURIComponent('my tool')}/1..2/x?status=public`, {
        method: 'PUT',
        headers: { 'private-token': fake.tokens.maintainer },
        body: 'x',
      });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: 'package_name is invalid, package_version is invalid, status does not have a valid value' });
    });

    it('a 429 reopens the file and sends it again', async () => {
      fake.injectFault({ kind: 'status', status: 429, retryAfter: 0, match: /generic/ });
      let opened = 0;
      const data = Buffer.from('retry me');
      const res = await client().beyond.uploadGenericFile(target(), { open: () => (opened++, Readable.from([data])), size: data.length });
      assert.equal(res.status, 201);
      assert.equal(opened, 2);
    });

    it('a cancelled upload leaves nothing behind and closes the file', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glp-cancel-'));
      const file = path.join(dir, 'f.bin');
      fs.writeFileSync(file, Buffer.alloc(8 * 1024 * 1024, 7));
      const ac = new AbortController();
      let stream: fs.ReadStream | undefined;
      const filesBefore = fake.db.files.size;
      try {
        const p = client().beyond.uploadGenericFile(target(), {
          open: () => (stream = fs.createReadStream(file, { highWaterMark: 64 * 1024 })),
          size: 8 * 1024 * 1024,
          signal: ac.signal,
          onProgress: (sent) => {
            if (sent >= 1024 * 1024) ac.abort();
          },
        });
        const err = await rejection(p);
        assert.equal(err.kind, 'aborted');
        await new Promise((r) => setTimeout(r, 100));
        assert.ok(stream?.destroyed, 'the file stream was closed');
        assert.equal(fake.db.files.size, filesBefore);
        assert.equal(fake.db.findPackage(web, 'tool', '1.0.0'), undefined);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a stalled source times out on silence, not on the length of the upload', async () => {
      const c = client(fake.tokens.maintainer, { timeoutMs: 300 });
      const slow = (): Readable =>
        new Readable({
          read() {
            // Never pushes: the upload goes silent.
          },
        });
      const err = await rejection(c.beyond.uploadGenericFile(target(), { open: slow, size: 10 }));
      assert.equal(err.kind, 'timeout');
      assert.equal(fake.db.findPackage(web, 'tool', '1.0.0'), undefined);
    });

    it('uploads 200 MB from disk with flat memory (RSS measured)', async function () {
      this.timeout(120_000);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glp-big-'));
      const file = path.join(dir, 'big.bin');
      const size = 200 * 1024 * 1024;
      const hash = createHash('sha256');
      try {
        const fd = fs.openSync(file, 'w');
        const block = Buffer.alloc(1024 * 1024);
        for (let i = 0; i < 200; i++) {
          block.fill(i % 251);
          block.writeUInt32LE(i, 0);
          hash.update(block);
          fs.writeSync(fd, block);
        }
        fs.closeSync(fd);
        global.gc?.();
        const baseline = process.memoryUsage().rss;
        let peak = baseline;
        const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
        let last = 0;
        try {
          const res = await client().beyond.uploadGenericFile(target({ fileName: 'big.bin' }), {
            open: () => fs.createReadStream(file),
            size,
            onProgress: (sent) => {
              last = sent;
              peak = Math.max(peak, process.memoryUsage().rss);
            },
          });
          assert.equal(res.status, 201);
        } finally {
          clearInterval(timer);
        }
        assert.equal(last, size);
        const stored = fake.db.filesOfPackage(fake.db.findPackage(web, 'tool', '1.0.0')!.id)[0];
        assert.equal(stored.size, size);
        assert.equal(fake.db.beyond.uploads.get(stored.id)?.sha256, hash.digest('hex'));
        const growth = (peak - baseline) / 1024 / 1024;
        console.log(`      200 MB upload (client and fake in one process): peak RSS growth ${growth.toFixed(1)} MiB`);
        // Flat means independent of the file size: a full read would add ≥ 200 MiB.
        assert.ok(growth < 64, `RSS grew by ${growth.toFixed(1)} MiB`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
