#!/usr/bin/env node
// Installs the npm dependencies when they are missing or stale, using only Node built-ins,
// so `npm test` and `npm run demo` work on a fresh clone with nothing installed.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.package-lock.json');

function stale() {
  if (!fs.existsSync(stamp)) return true;
  return fs.statSync(lock).mtimeMs > fs.statSync(stamp).mtimeMs;
}

if (stale()) {
  console.log('[deps] installing npm dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
} else {
  console.log('[deps] npm dependencies are up to date');
}
