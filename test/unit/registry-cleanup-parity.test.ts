import * as assert from 'node:assert/strict';
import { PROJECT_IDS, REPOSITORY_IDS, startFakeGitLab, type FakeGitLab } from '../fake-gitlab';
import { GitLabClient, listAll, type RegistryCleanupRule } from '../../src/gitlab';
import { accessLevelFromProject, previewCleanup, protectsFromDelete, type CleanupTag } from '../../src/registry';

/**
 * The clean-up preview must list exactly what GitLab's worker then deletes. The fake's worker
 * (test/fake-gitlab/registry-store.ts) is written separately from the preview (src/registry),
 * both from REGISTRY.md §4.3; here they meet over real HTTP through the real client.
 */
describe('registry clean-up: the preview matches what the fake GitLab then deletes', function () {
  this.timeout(60_000);
  let fake: FakeGitLab;
  let client: GitLabClient;
  beforeEach(async () => {
    fake = await startFakeGitLab({ seed: { registryTags: 2300 } });
    fake.registry.workerDelayMs = null;
    client = new GitLabClient({ baseUrl: fake.url, token: fake.tokens.maintainer });
  });
  afterEach(async () => {
    await client.close();
    await fake.close();
  });

  async function check(projectId: number, repositoryId: number, rule: RegistryCleanupRule, token = fake.tokens.maintainer): Promise<string[]> {
    const c = token === fake.tokens.maintainer ? client : new GitLabClient({ baseUrl: fake.url, token });
    const tags = await listAll(c.listRegistryTags(projectId, repositoryId));
    const dated: CleanupTag[] = [];
    for await (const r of c.getRegistryTagsDetails(projectId, repositoryId, tags.map((t) => t.name))) {
      assert.ok(r.details, `details of ${r.name}`);
      dated.push({ name: r.name, createdAt: r.details.created_at });
    }
    const level = accessLevelFromProject(await c.getProject(projectId));
    const rules = await c.listTagProtectionRules(projectId).catch(() => []);
    const result = previewCleanup(dated, rule, { now: Date.now(), pageSize: fake.registry.mode === 'gitlab' ? 1000 : undefined, isProtected: (n) => protectsFromDelete(rules, n, level) });
    assert.ok(result.ok, JSON.stringify(result));
    await client.deleteRegistryTags(projectId, repositoryId, rule);
    const [run] = fake.registry.runWorkers();
    assert.deepEqual([...run.deleted].sort(), [...result.preview.deleted].sort());
    const left = fake.registry.tagsOf(repositoryId).map((t) => t.name);
    assert.deepEqual(left.sort(), tags.map((t) => t.name).filter((n) => !result.preview.deleted.includes(n)).sort());
    if (c !== client) await c.close();
    return result.preview.deleted;
  }

  const api = (rule: RegistryCleanupRule) => check(PROJECT_IDS.api, REPOSITORY_IDS.apiRoot, rule);

  it('everything: latest kept, the Owner-protected v-tags skipped for a maintainer', async () => {
    const deleted = await api({ nameRegexDelete: '.*' });
    assert.ok(!deleted.includes('latest') && !deleted.includes('v1.0.0'));
    assert.ok(deleted.includes('pre-release-7'), "the 'release' rule does not stop a maintainer");
  });
  it('an alternation anchored per side', async () => {
    assert.deepEqual(await api({ nameRegexDelete: 'feature.*|.*-rc1' }), ['feature-login', 'feature-search', 'v2.0.0-rc1']);
  });
  it('keep regex, keep_n and older_than together', async () => {
    const deleted = await api({ nameRegexDelete: '.*', nameRegexKeep: 'main-.*', keepN: 2, olderThan: '1d' });
    assert.ok(deleted.length > 0);
    assert.ok(!deleted.includes('main-3f2a9c1'));
  });
  it('3,000-scale repository: keep_n per 1,000-tag page on a GitLab-API registry', async () => {
    const deleted = await check(PROJECT_IDS.big, REPOSITORY_IDS.bigLoad, { nameRegexDelete: 'build-0.*', keepN: 3 });
    assert.equal(deleted.length, 2300 - 9);
  });
  it('legacy registry: one pass over all tags, no protection', async () => {
    fake.registry.mode = 'legacy';
    const deleted = await check(PROJECT_IDS.big, REPOSITORY_IDS.bigLoad, { nameRegexDelete: 'build-0.*', keepN: 3 });
    assert.equal(deleted.length, 2300 - 3);
  });
});
