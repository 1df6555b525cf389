import * as assert from 'node:assert/strict';
import { localFileName } from '../../src/packages/fileNames';

describe('commands/fileNames localFileName', () => {
  it('keeps ordinary names as they are', () => {
    assert.equal(localFileName('acme-ui-1.2.0.tgz'), 'acme-ui-1.2.0.tgz');
    assert.equal(localFileName('Ünïcödé-名前.whl'), 'Ünïcödé-名前.whl');
  });

  it('uses the last segment of a generic sub-path, encoded or not', () => {
    assert.equal(localFileName('docs%2Findex.html'), 'index.html');
    assert.equal(localFileName('a/b/c.txt'), 'c.txt');
  });

  it('never lets a name leave the chosen folder', () => {
    assert.equal(localFileName('..%2F..%2Fetc%2Fpasswd'), 'passwd');
    assert.equal(localFileName('..'), 'download');
    assert.equal(localFileName('%2E%2E'), 'download');
    assert.equal(localFileName('a\\..\\b.txt'), 'b.txt');
    assert.equal(localFileName(''), 'download');
  });

  it('replaces characters file systems refuse', () => {
    assert.equal(localFileName('"><svg onload=alert(1)>.txt'), '___svg onload=alert(1)_.txt');
    assert.equal(localFileName('a:b*c?d|e\u0000f.txt'), 'a_b_c_d_e_f.txt');
    assert.equal(localFileName('trailing. '), 'trailing');
  });

  it('avoids reserved Windows device names', () => {
    assert.equal(localFileName('CON'), '_CON');
    assert.equal(localFileName('nul.txt'), '_nul.txt');
    assert.equal(localFileName('console.txt'), 'console.txt');
  });

  it('shortens very long names and keeps the extension', () => {
    const name = localFileName(`${'é'.repeat(300)}.tar.gz`);
    assert.ok(Buffer.byteLength(name) <= 200, String(Buffer.byteLength(name)));
    assert.ok(name.endsWith('.gz'));
    assert.ok(!name.includes('\ufffd'));
  });
});
