import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { GitLabClient, GitLabError, encodeId } from '../../src/gitlab';
import { extractGitLabMessage, parseRetryAfter } from '../../src/gitlab/errors';
import { nextLink } from '../../src/gitlab/pagination';

describe('GitLab client: error bodies and headers', () => {
  it('reads every error body shape GitLab sends', () => {
    const cases: Array<[string, string | undefined, string | undefined]> = [
      ['{"message":"404 Project Not Found"}', 'application/json', '404 Project Not Found'],
      ['{"message":{"name":["is invalid","is too long"],"version":["is blank"]}}', 'application/json', 'name is invalid, is too long; version is blank'],
      ['{"error":"status does not have a valid value"}', 'application/json', 'status does not have a valid value'],
      [
        '{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}',
        'application/json',
        'insufficient_scope: The request requires higher privileges than provided by the access token.',
      ],
      ['Retry later\n', 'text/plain', 'Retry later'],
      ['<html><head><title>503 Service Temporarily Unavailable</title></head><body>…</body></html>', 'text/html', '503 Service Temporarily Unavailable'],
      ['<!DOCTYPE html><html><body><h1>oops</h1></body></html>', 'text/html; charset=utf-8', undefined],
      ['{"message": "cut', 'application/json', '{"message": "cut'],
      ['', 'application/json', undefined],
    ];
    for (const [body, type, expected] of cases) assert.equal(extractGitLabMessage(body, type), expected, body);
    assert.ok((extractGitLabMessage('x'.repeat(5000), 'text/plain') ?? '').length < 600);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('30'), 30);
    assert.equal(parseRetryAfter(' 2 '), 2);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    const now = Date.parse('2024-01-15T09:00:00Z');
    assert.equal(parseRetryAfter('Mon, 15 Jan 2024 09:01:00 GMT', now), 60);
    assert.equal(parseRetryAfter('Mon, 15 Jan 2024 08:00:00 GMT', now), 0);
  });

  it('finds rel="next" in a Link header, whatever its position', () => {
    const link =
      '<https://gitlab.example.com/api/v4/projects/9/packages?page=1&per_page=20>; rel="prev", ' +
      '<https://gitlab.example.com/api/v4/projects/9/packages?page=3&per_page=20>; rel="next", ' +
      '<https://gitlab.example.com/api/v4/projects/9/packages?page=1&per_page=20>; rel="first"';
    assert.equal(nextLink(link), 'https://gitlab.example.com/api/v4/projects/9/packages?page=3&per_page=20');
    assert.equal(nextLink('<https://h/x?cursor=eyJ9>; rel="next"'), 'https://h/x?cursor=eyJ9');
    assert.equal(nextLink('<https://h/a>; rel="first", <https://h/b>; rel="last"'), undefined);
    assert.equal(nextLink(undefined), undefined);
  });

  it('encodes ids: numbers as they are, paths as one segment', () => {
    assert.equal(encodeId(42), '42');
    assert.equal(encodeId('group/sub/project'), 'group%2Fsub%2Fproject');
    assert.equal(encodeId('@scope/we ird'), '%40scope%2Fwe%20ird');
    assert.throws(() => encodeId(''), TypeError);
    assert.throws(() => encodeId(1.5), TypeError);
  });

  it('carries kind, method and path on every error', () => {
    const e = new GitLabError({ kind: 'http', method: 'GET', path: '/api/v4/user', status: 401, gitlabMessage: '401 Unauthorized' });
    assert.equal(e.name, 'GitLabError');
    assert.ok(e instanceof Error);
    assert.equal(e.message, 'GitLab answered 401 Unauthorized (GET /api/v4/user)');
  });
});

describe('GitLab client: content encodings', () => {
  let server: http.Server;
  let url = '';
  const body = JSON.stringify({ id: 1, username: 'enc', name: 'Encoded '.repeat(100) });
  const accepted: string[] = [];

  before(async () => {
    // The instance sub-path names the encoding to answer with: /gzip/api/v4/user, /br/api/v4/user…
    server = http.createServer((req, res) => {
      accepted.push(String(req.headers['accept-encoding']));
      const encoding = (req.url ?? '').split('/')[1];
      const data =
        encoding === 'br' ? zlib.brotliCompressSync(body) : encoding === 'deflate' ? zlib.deflateSync(body) : encoding === 'gzip' ? zlib.gzipSync(body) : Buffer.from(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(data);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  for (const encoding of ['gzip', 'deflate', 'br']) {
    it(`decodes ${encoding}`, async () => {
      const client = new GitLabClient({ baseUrl: `${url}/${encoding}` });
      try {
        const user = await client.getCurrentUser();
        assert.equal(user.username, 'enc');
        assert.match(accepted[accepted.length - 1], new RegExp(`\\b${encoding}\\b`));
      } finally {
        await client.close();
      }
    });
  }

  it('reports a corrupt compressed body as malformed', async () => {
    const bad = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end('definitely not gzip');
    });
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    const client = new GitLabClient({ baseUrl: `http://127.0.0.1:${(bad.address() as AddressInfo).port}`, retries: 0 });
    try {
      await assert.rejects(client.getCurrentUser(), (e: unknown) => e instanceof GitLabError && e.kind === 'malformed');
    } finally {
      await client.close();
      bad.closeAllConnections();
      await new Promise<void>((r) => bad.close(() => r()));
    }
  });
});
