import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { leakScan } from '../../scripts/leak-scan';
import { testSecrets } from '../support/secrets';

describe('leak scan: finds a planted secret wherever it is', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glp-leak-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('in a nested binary file (as UTF-8 and as UTF-16LE) and in captured text; labels only in the report', () => {
    const secrets = testSecrets();
    const token = secrets['token maintainer'];
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a', 'b', 'state.vscdb'), Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from(token), Buffer.from([0])]));
    fs.writeFileSync(path.join(dir, 'a', 'utf16.bin'), Buffer.from(`x${secrets['proxy password']}y`, 'utf16le'));
    fs.writeFileSync(path.join(dir, 'clean.log'), 'nothing secret here');
    const result = leakScan([{ label: 'dir', dir }, { label: 'log', text: `header private-token: ${secrets['token developer']}` }], secrets);
    assert.equal(result.files, 4);
    assert.deepEqual(result.hits.sort(), [
      `dir: ${path.join('a', 'b', 'state.vscdb')} contains the token maintainer`,
      `dir: ${path.join('a', 'utf16.bin')} contains the proxy password`,
      'log: (captured text) contains the token developer',
    ]);
    assert.ok(!result.hits.join('\n').includes(token), 'a report must not print the secret');
  });

  it('covers every fake GitLab token and the proxy credentials', () => {
    const labels = Object.keys(testSecrets());
    for (const label of ['token maintainer', 'token readApi', 'token expired', 'token reporter', 'proxy password', 'proxy Basic credentials', 'typed token 1']) {
      assert.ok(labels.includes(label), label);
    }
  });
});
