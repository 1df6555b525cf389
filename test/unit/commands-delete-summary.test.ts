import * as assert from 'node:assert/strict';
import { bulletList, summarizeDeletes, type DeleteJob, type DeleteResult } from '../../src/packages/deleteSummary';

function job(label: string): DeleteJob {
  return { label, instanceUrl: 'https://gitlab.example.com', subject: { kind: 'package', name: label, operation: 'delete' }, run: async () => undefined };
}

const noun = { one: 'package version', many: 'package versions' };

describe('commands/deleteSummary', () => {
  it('lists up to the limit and counts the rest', () => {
    assert.equal(bulletList(['a', 'b']), '• a\n• b');
    assert.equal(bulletList(['a', 'b', 'c', 'd'], 2), '• a\n• b\n…and 2 more');
  });

  it('reports a clean bulk delete', () => {
    const results: DeleteResult[] = [{ job: job('x 1'), outcome: 'deleted' }, { job: job('x 2'), outcome: 'deleted' }];
    const s = summarizeDeletes(results, noun);
    assert.equal(s.text, 'Deleted 2 of 2 package versions.');
    assert.equal(s.failed, 0);
    assert.equal(s.deleted, 2);
  });

  it('names each failure with its reason, and counts gone and cancelled apart', () => {
    const results: DeleteResult[] = [
      { job: job('lib 1.0.0'), outcome: 'deleted' },
      { job: job('lib 1.1.0'), outcome: 'failed', error: { status: 403, gitlabMessage: '403 Forbidden' } },
      { job: job('lib 1.2.0'), outcome: 'gone', error: { status: 404 } },
      { job: job('lib 1.3.0'), outcome: 'skipped' },
      { job: job('lib 1.4.0'), outcome: 'failed', error: { status: 500 } },
    ];
    const s = summarizeDeletes(results, noun);
    assert.equal(s.failed, 2);
    assert.equal(s.deleted, 1);
    assert.match(s.text, /^Deleted 1 of 5 package versions\./);
    assert.match(s.text, /1 was already gone\./);
    assert.match(s.text, /1 not deleted \(cancelled\)\./);
    assert.match(s.text, /2 failed: lib 1\.1\.0 \(Not allowed to delete \(Maintainer role needed\)\); lib 1\.4\.0 \(GitLab server error \(500\)\)\./);
  });

  it('keeps a long failure list short', () => {
    const results: DeleteResult[] = Array.from({ length: 8 }, (_, i) => ({ job: job(`v${i}`), outcome: 'failed' as const, error: { status: 403 } }));
    const s = summarizeDeletes(results, noun);
    assert.match(s.text, /8 failed: .*v4 .*; 3 more, see the log\.$/);
    assert.doesNotMatch(s.text, /v5/);
  });
});
