import * as assert from 'node:assert/strict';
import { fileNameProblem, packageNameProblem, suggestGenericName, suggestPackageName, suggestVersion, versionProblem } from '../../src/packages/upload-validation';

describe('packages/upload-validation: GitLab’s generic package rules (BEYOND.md §3.1)', () => {
  it('package and file names: maven_file_name_regex plus the path-traversal check', () => {
    for (const ok of ['tool', 'a+b', 'a.b_c-d', 'X9', '.hidden', 'a..b']) {
      assert.equal(packageNameProblem(ok), undefined, ok);
      assert.equal(fileNameProblem(ok), undefined, ok);
    }
    for (const bad of ['', 'a b', 'a/b', 'a\\b', 'tööl', '%2e', 'a\nb', '<x>', '"q"', '.', '..', 'a:b', 'a@b']) {
      assert.ok(packageNameProblem(bad), bad);
      assert.ok(fileNameProblem(bad), bad);
    }
    assert.match(packageNameProblem('a b')!, /letters, digits/);
    assert.match(fileNameProblem('..')!, /not file names/);
  });

  it('versions: word characters, +, ., - and never ".."', () => {
    for (const ok of ['1.0.0', '1.0.0+build_7', '2024-01-01', 'v1', 'SNAPSHOT', '1_2', '.1']) assert.equal(versionProblem(ok), undefined, ok);
    for (const bad of ['', '1..2', '..', '1.0 ', '1/2', 'é', '1.0~rc1', '1.0:2']) assert.ok(versionProblem(bad), bad);
    assert.match(versionProblem('1..2')!, /"\.\."/);
  });

  it('suggests names GitLab accepts from hostile or awkward local names', () => {
    const cases: Array<[string, string]> = [
      ['my file.txt', 'my_file.txt'],
      ['"><svg onload=alert(1)>.txt', 'svg_onload_alert_1_.txt'],
      ['résumé.pdf', 'resume.pdf'],
      ['..', 'file..'],
      ['.', 'file.'],
      ['日本語', 'file'],
      ['a%2Fb', 'a_2Fb'],
      ['ok-1.0.tar.gz', 'ok-1.0.tar.gz'],
    ];
    for (const [input, expected] of cases) {
      assert.equal(suggestGenericName(input), expected, input);
      assert.equal(fileNameProblem(suggestGenericName(input)), undefined, input);
    }
    assert.equal(suggestGenericName('x'.repeat(300)).length, 255);
  });

  it('suggests a package name and version from a file name', () => {
    assert.equal(suggestPackageName('tool-1.2.3.tar.gz'), 'tool');
    assert.equal(suggestVersion('tool-1.2.3.tar.gz'), '1.2.3');
    assert.equal(suggestVersion('tool_v2.0.1-rc1.zip'), '2.0.1-rc1');
    assert.equal(suggestVersion('README.md'), undefined);
    assert.equal(suggestPackageName('my app.exe'), 'my_app');
  });
});
