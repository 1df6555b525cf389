import * as assert from 'node:assert/strict';
import { PACKAGE_TYPES, type GitLabPackage, type GitLabPackageFile } from '../../src/gitlab/types';
import {
  displayFileName,
  escapeMarkdown,
  formatAbsoluteDate,
  formatDateWithRelative,
  formatFileSize,
  formatRelativeDate,
  humanize,
  isNotableStatus,
  packageFileTooltip,
  packageGroupTooltip,
  packageTypeLabel,
  packageVersionTooltip,
  pipelineStatusLabel,
  shortSha,
  statusLabel,
  versionLabel,
} from '../../src/packages/format';

const NOW = new Date('2024-06-15T12:00:00.000Z');

function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('packages/format', () => {
  describe('formatFileSize', () => {
    const cases: Array<[number | null | undefined, string]> = [
      [0, '0 B'],
      [1, '1 B'],
      [1023, '1023 B'],
      [1024, '1.0 KiB'],
      [1536, '1.5 KiB'],
      [10 * 1024 + 100, '10.1 KiB'],
      [1024 * 1024 - 1, '1.0 MiB'],
      [5.25 * 1024 * 1024, '5.3 MiB'],
      [3 * 1024 ** 3, '3.0 GiB'],
      [2 * 1024 ** 4, '2.0 TiB'],
      [5000 * 1024 ** 5, '5000.0 PiB'],
      [-1, 'unknown size'],
      [Number.NaN, 'unknown size'],
      [null, 'unknown size'],
      [undefined, 'unknown size'],
    ];
    for (const [bytes, expected] of cases) {
      it(`${String(bytes)} → ${expected}`, () => assert.equal(formatFileSize(bytes), expected));
    }
  });

  describe('formatRelativeDate', () => {
    const cases: Array<[number, string]> = [
      [0, 'just now'],
      [30 * SEC, 'just now'],
      [50 * SEC, '1 minute ago'],
      [5 * MIN, '5 minutes ago'],
      [59 * MIN, '59 minutes ago'],
      [HOUR, '1 hour ago'],
      [5 * HOUR, '5 hours ago'],
      [DAY, '1 day ago'],
      [3 * DAY, '3 days ago'],
      [29 * DAY, '29 days ago'],
      [45 * DAY, '1 month ago'],
      [200 * DAY, '7 months ago'],
      [364 * DAY, '11 months ago'],
      [366 * DAY, '1 year ago'],
      [3 * 366 * DAY, '3 years ago'],
      [-10 * SEC, 'just now'],
      [-3 * HOUR, 'in 3 hours'],
    ];
    for (const [diff, expected] of cases) {
      it(`${diff} ms → ${expected}`, () => assert.equal(formatRelativeDate(ago(diff), NOW), expected));
    }
    it('bad input', () => {
      assert.equal(formatRelativeDate('nope', NOW), 'unknown date');
      assert.equal(formatRelativeDate(null, NOW), 'unknown date');
    });
  });

  it('formatAbsoluteDate is UTC, 24-hour and zero-padded', () => {
    assert.equal(formatAbsoluteDate('2024-01-05T03:07:09.000Z'), 'Jan 5, 2024, 03:07 UTC');
    assert.equal(formatAbsoluteDate('2024-01-05T03:07:09.000+02:00'), 'Jan 5, 2024, 01:07 UTC');
    assert.equal(formatAbsoluteDate('2024-01-05T15:07:09.000Z', 'en'), 'Jan 5, 2024, 15:07 UTC');
    assert.equal(formatAbsoluteDate(''), 'unknown date');
    assert.equal(formatDateWithRelative(ago(3 * DAY), NOW), '3 days ago (Jun 12, 2024, 12:00 UTC)');
    assert.equal(formatDateWithRelative(undefined, NOW), 'unknown date');
  });

  it('status labels', () => {
    assert.equal(statusLabel('default'), 'Published');
    assert.equal(statusLabel('error'), 'Error');
    assert.equal(statusLabel('deprecated'), 'Deprecated');
    assert.equal(statusLabel('processing'), 'Processing');
    assert.equal(statusLabel('pending_destruction'), 'Pending deletion');
    assert.equal(statusLabel('hidden'), 'Hidden');
    assert.equal(statusLabel('brand_new_state'), 'Brand new state');
    assert.equal(isNotableStatus('default'), false);
    assert.equal(isNotableStatus('error'), true);
  });

  it('package type labels cover all 14 types', () => {
    const expected: Record<string, string> = {
      maven: 'Maven',
      npm: 'npm',
      conan: 'Conan',
      nuget: 'NuGet',
      pypi: 'PyPI',
      composer: 'Composer',
      generic: 'Generic',
      golang: 'Go',
      debian: 'Debian',
      rubygems: 'RubyGems',
      helm: 'Helm',
      terraform_module: 'Terraform module',
      rpm: 'RPM',
      ml_model: 'ML model',
    };
    assert.equal(PACKAGE_TYPES.length, 14);
    for (const t of PACKAGE_TYPES) assert.equal(packageTypeLabel(t), expected[t], t);
    assert.equal(packageTypeLabel('cargo'), 'Cargo');
  });

  it('pipeline labels, short SHA, version label, humanize', () => {
    assert.equal(pipelineStatusLabel('success'), 'Passed');
    assert.equal(pipelineStatusLabel('waiting_for_resource'), 'Waiting for resource');
    assert.equal(pipelineStatusLabel('new_thing'), 'New thing');
    assert.equal(shortSha('0123456789abcdef0123456789abcdef01234567'), '01234567');
    assert.equal(shortSha(null), '');
    assert.equal(versionLabel(null), '(no version)');
    assert.equal(versionLabel(''), '(no version)');
    assert.equal(versionLabel('1.2.3'), '1.2.3');
    assert.equal(humanize('__'), '__');
  });

  it('displayFileName decodes sub-paths and tolerates bad escapes', () => {
    assert.equal(displayFileName('dir%2Ffile.txt'), 'dir/file.txt');
    assert.equal(displayFileName('100%.txt'), '100%.txt');
    assert.equal(displayFileName('plain.tgz'), 'plain.tgz');
  });

  describe('escapeMarkdown', () => {
    it('escapes every ASCII punctuation character', () => {
      const punct = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
      const escaped = escapeMarkdown(punct);
      assert.equal(escaped, [...punct].map((c) => `\\${c}`).join(''));
    });
    it('flattens line breaks so API text cannot open blocks', () => {
      assert.equal(escapeMarkdown('a\n# b\r\nc\u2028d'), 'a \\# b c d');
    });
    it('leaves letters, digits, unicode and emoji alone', () => {
      assert.equal(escapeMarkdown('héllo 世界 📦 שלום'), 'héllo 世界 📦 שלום');
    });
  });

  describe('tooltips', () => {
    const hostile = '<img src=x onerror=alert(1)> [x](javascript:alert(1)) $(zap) **b**';
    const pkg: GitLabPackage = {
      id: 7,
      name: hostile,
      version: '1.0.0',
      package_type: 'npm',
      status: 'error',
      _links: {},
      created_at: ago(3 * DAY),
      last_downloaded_at: null,
      project_path: 'acme/web',
      tags: [{ name: 'latest' }, { name: '`tick`' }],
      pipeline: {
        id: 99,
        project_id: 1,
        sha: 'abcdef0123456789',
        ref: 'main',
        status: 'success',
        created_at: ago(3 * DAY),
        updated_at: ago(3 * DAY),
        web_url: 'https://gitlab.example.com/acme/web/-/pipelines/99',
        user: { id: 1, username: 'alice', name: 'Alice' },
      },
    };

    function assertNoRawMarkup(md: string): void {
      // Markup characters only ever appear backslash-escaped (the tooltips add none of these themselves).
      for (const ch of ['<', '>', '[', ']', '$', '`']) {
        const raw = new RegExp(`(^|[^\\\\])\\${ch}`);
        assert.ok(!raw.test(md), `found unescaped ${ch} in ${md}`);
      }
      assert.ok(!md.includes('**b**'));
    }

    it('version tooltip', () => {
      const md = packageVersionTooltip(pkg, { now: NOW });
      assertNoRawMarkup(md);
      assert.ok(md.includes('\\<img src\\=x onerror\\=alert\\(1\\)\\>'));
      assert.ok(md.includes('npm · Error'));
      assert.ok(md.includes('Project: acme\\/web'));
      assert.ok(md.includes('Created 3 days ago'));
      assert.ok(md.includes('Last downloaded: never'));
      assert.ok(md.includes('Tags: latest, \\`tick\\`'));
      assert.ok(md.includes('Pipeline \\#99 passed on main (abcdef01) by \\@alice 3 days ago'));
      assert.ok(md.split('  \n').length >= 6, 'one fact per line');
    });

    it('group tooltip', () => {
      const md = packageGroupTooltip({ name: hostile, packageType: 'terraform_module', versions: [pkg], projectPath: 'acme/web' }, { now: NOW });
      assertNoRawMarkup(md);
      assert.ok(md.includes('Terraform module · 1 version'));
      assert.ok(md.includes('Latest: 1\\.0\\.0, 3 days ago'));
      assert.ok(md.includes('Status: Error'));
      const empty = packageGroupTooltip({ name: 'x', packageType: 'npm', versions: [] }, { now: NOW });
      assert.ok(empty.includes('0 versions'));
    });

    it('file tooltip', () => {
      const file: GitLabPackageFile = {
        id: 1,
        package_id: 7,
        created_at: ago(2 * HOUR),
        file_name: 'dir%2F<b>.tgz',
        size: 2048,
        file_md5: null,
        file_sha1: 'sha1value',
        file_sha256: 'sha256value',
      };
      const md = packageFileTooltip(file, { now: NOW });
      assert.ok(md.startsWith('**dir\\/\\<b\\>\\.tgz**'));
      assert.ok(md.includes('2\\.0 KiB \\(2\\,048 bytes\\)'));
      assert.ok(md.includes('Created 2 hours ago'));
      assert.ok(!md.includes('MD5'));
      assert.ok(md.includes('SHA\\-1: sha1value'));
      assert.ok(md.includes('SHA\\-256: sha256value'));
    });
  });
});
