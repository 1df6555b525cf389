// The vscode-free layers in 简体中文: dates, relative times and sizes follow the locale
// parameter (Intl), words come from l10n/bundle.l10n.zh-cn.json through @vscode/l10n, configured
// the way activate() configures it from vscode.l10n.bundle.
import * as l10n from '@vscode/l10n';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GitLabPackage, GitLabPackageFile } from '../../src/gitlab/types';
import { keepCountProblem } from '../../src/packages/keepNewest';
import { summarizeDeletes } from '../../src/packages/deleteSummary';
import { createDetailsModel, renderDetailsHtml } from '../../src/packages/details-html';
import { describeError } from '../../src/packages/errors';
import { describeFilter } from '../../src/packages/filters';
import {
  formatAbsoluteDate,
  formatCount,
  formatDateWithRelative,
  formatFileSize,
  formatRelativeDate,
  intlLocale,
  packageFileTooltip,
  packageTypeLabel,
  pipelineStatusLabel,
  statusLabel,
  versionLabel,
} from '../../src/packages/format';
import { parseRootSpec } from '../../src/packages/instance';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NOW = new Date('2024-06-15T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

function useBundle(file: string | undefined): void {
  l10n.config({ contents: file ? (JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', file), 'utf8')) as Record<string, string>) : {} });
}

describe('format: locale parameter (pure Intl, no bundle needed)', () => {
  it('relative times in en and zh-cn', () => {
    assert.equal(formatRelativeDate(ago(5 * MIN), NOW, 'en'), '5 minutes ago');
    assert.equal(formatRelativeDate(ago(5 * MIN), NOW, 'zh-cn'), '5分钟前');
    assert.equal(formatRelativeDate(ago(3 * DAY), NOW, 'zh-cn'), '3天前');
    assert.equal(formatRelativeDate(ago(-3 * HOUR), NOW, 'zh-cn'), '3小时后');
    assert.equal(formatRelativeDate(ago(400 * DAY), NOW, 'zh-cn'), '1年前');
  });

  it('absolute dates in en and zh-cn, always UTC', () => {
    assert.equal(formatAbsoluteDate('2024-01-05T03:07:09.000Z', 'en'), 'Jan 5, 2024, 03:07 UTC');
    assert.equal(formatAbsoluteDate('2024-01-05T03:07:09.000Z', 'zh-cn'), '2024年1月5日 03:07 UTC');
    assert.equal(formatAbsoluteDate('2024-01-05T23:59:00.000-02:00', 'zh-cn'), '2024年1月6日 01:59 UTC');
  });

  it('sizes and counts in en and zh-cn', () => {
    assert.equal(formatFileSize(1536, 'en'), '1.5 KiB');
    assert.equal(formatFileSize(1536, 'zh-cn'), '1.5 KiB');
    assert.equal(formatFileSize(5000 * 1024 ** 5, 'zh-cn'), '5000.0 PiB');
    assert.equal(formatCount(1234567, 'en'), '1,234,567');
    assert.equal(formatCount(1234567, 'zh-cn'), '1,234,567');
    // A locale whose digits group differently shows that the parameter, not the OS, decides.
    assert.equal(formatCount(1234567, 'de'), '1.234.567');
    assert.equal(formatFileSize(1536, 'de'), '1,5 KiB');
  });

  it('a display language Intl does not know falls back to English instead of throwing', () => {
    assert.equal(intlLocale('zh-cn'), 'zh-CN');
    assert.equal(intlLocale('not a locale!'), 'en');
    assert.equal(intlLocale(undefined), 'en');
    assert.equal(formatRelativeDate(ago(5 * MIN), NOW, 'not a locale!'), '5 minutes ago');
  });
});

describe('domain words with the zh-cn bundle', () => {
  before(() => useBundle('bundle.l10n.zh-cn.json'));
  after(() => useBundle(undefined));

  it('dates and sizes: words from the bundle, numbers from Intl', () => {
    assert.equal(formatRelativeDate(ago(10_000), NOW, 'zh-cn'), '刚刚');
    assert.equal(formatRelativeDate('nope', NOW, 'zh-cn'), '日期未知');
    assert.equal(formatFileSize(-1, 'zh-cn'), '大小未知');
    assert.equal(formatDateWithRelative(ago(3 * DAY), NOW, 'zh-cn'), '3天前（2024年6月12日 12:00 UTC）');
  });

  it('status, pipeline and type labels', () => {
    assert.equal(statusLabel('default'), '已发布');
    assert.equal(statusLabel('pending_destruction'), '等待删除');
    assert.equal(pipelineStatusLabel('success'), '已通过');
    assert.equal(packageTypeLabel('generic'), '通用');
    assert.equal(packageTypeLabel('npm'), 'npm');
    assert.equal(versionLabel(null), '（无版本）');
  });

  it('error messages, with GitLab’s own text quoted as it came', () => {
    const notFound = describeError({ status: 404 }, { kind: 'project', name: 'acme/nope' });
    assert.equal(notFound.message, '找不到项目“acme/nope”，或您的令牌无权查看。');
    assert.equal(notFound.short, '找不到项目，或您的令牌无权查看');
    const server = describeError({ status: 502, gitlabMessage: 'Bad Gateway from the upstream proxy' });
    assert.equal(server.message, 'GitLab 服务器出错（502）。这通常是暂时的，请稍后重试。GitLab 返回：Bad Gateway from the upstream proxy');
    assert.equal(describeError({ status: 401, gitlabMessage: 'Token has expired' }).short, '令牌已过期 — 请设置新令牌');
    assert.equal(describeError({ status: 429, retryAfterSeconds: 7 }).short, 'GitLab 限制了请求频率 — 7 秒后重试');
  });

  it('filters, root references, keep counts and delete summaries', () => {
    assert.equal(describeFilter({ packageType: 'npm', name: 'ui', orderBy: 'name', sort: 'desc' }), 'npm · 名称~ui · 按名称 · 降序');
    assert.throws(() => parseRootSpec('', 'https://gitlab.com'), (e: Error) => e.message === '未输入任何内容。请输入数字 ID、完整路径（如 group/project）或 GitLab 网页 URL。');
    assert.equal(keepCountProblem('x', 4), '请输入 1 到 4 之间的整数（要保留的最新版本数）。');
    const job = { label: 'lib 1.0.0', instanceUrl: 'https://gitlab.com', subject: {}, run: async () => undefined };
    const summary = summarizeDeletes(
      [
        { job, outcome: 'deleted' },
        { job, outcome: 'failed', error: { status: 500 } },
      ],
      { one: '软件包版本', many: '软件包版本' },
    );
    assert.equal(summary.text, '已删除 1 个软件包版本（共 2 个）。1 个失败：lib 1.0.0（GitLab 服务器错误（500））。');
  });

  it('tooltips: Chinese words, byte counts grouped by the locale', () => {
    const file = { id: 1, package_id: 2, file_name: 'a.tgz', size: 123456, created_at: ago(DAY), file_md5: null, file_sha1: null, file_sha256: null } as unknown as GitLabPackageFile;
    const tip = packageFileTooltip(file, { now: NOW, locale: 'zh-cn' });
    // escapeMarkdown backslash-escapes punctuation.
    assert.match(tip, /120\\\.6 KiB（123\\,456 字节）/);
    assert.match(tip, /创建于 1天前（2024年6月14日 12\\:00 UTC）/);
  });

  it('the details page: lang, headings, buttons and dates in Chinese', () => {
    const pkg = {
      id: 7,
      name: '@acme/ui',
      version: '1.2.0',
      package_type: 'npm',
      status: 'default',
      created_at: ago(2 * DAY),
      last_downloaded_at: null,
      _links: { web_path: '/acme/web/-/packages/7', delete_api_path: 'https://gitlab.com/api/v4/projects/3/packages/7' },
      tags: [],
      pipelines: [],
    } as unknown as GitLabPackage;
    const model = createDetailsModel({ instanceUrl: 'https://gitlab.com', package: pkg, projectId: 3, projectPath: 'acme/web', files: [], now: NOW });
    const html = renderDetailsHtml(model, { cspSource: "'self'", nonce: 'abcdefghijklmnopqrstuv', styleUri: 's.css', scriptUri: 'd.js', locale: 'zh-cn' });
    assert.match(html, /<html lang="zh-CN">/);
    assert.match(html, /<body data-copied-label="已复制">/);
    assert.match(html, /<h2 id="overview-heading">概览<\/h2>/);
    assert.match(html, /<p class="empty">此软件包没有文件。<\/p>/);
    assert.match(html, /<span class="btn-text">删除版本<\/span>/);
    assert.match(html, /<dt>上次下载<\/dt><dd>从未<\/dd>/);
    assert.match(html, />2天前（2024年6月13日 12:00 UTC）</);
    const loading = renderDetailsHtml({ kind: 'loading', title: '<b>x</b>' }, { cspSource: "'self'", nonce: 'abcdefghijklmnopqrstuv', styleUri: 's.css', scriptUri: 'd.js', locale: 'zh-cn' });
    assert.match(loading, /正在加载 <bdi>&lt;b&gt;x&lt;\/b&gt;<\/bdi>…/, 'API text in a translated sentence stays escaped');
  });
});

describe('domain words without a bundle (English, as in VS Code with display language en)', () => {
  it('falls back to the English message', () => {
    assert.equal(statusLabel('default'), 'Published');
    assert.equal(formatRelativeDate(ago(10_000), NOW, 'zh-cn'), 'just now');
  });
});
