// Offline VS Code for tests, end-to-end runs and the demo: code-server (VS Code's server plus
// its Node extension host) installed from npm, driven by Debian's Chromium through
// playwright-core. The measured recipe lives in /work/shared/design/extension-host-offline.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
// The fonts: headless screenshots show CJK text (包) and emoji (🚀) as empty boxes without them.
// tinyproxy and openssl: the proxy and the certificates of the network tests (unit and host tiers).
const DEBIAN_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'pkg-config', 'fonts-noto-cjk', 'fonts-noto-color-emoji', 'tinyproxy', 'openssl'];

/** Compiled to out/scripts/, so the repository root is two levels up. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CACHE_DIR = path.join(REPO_ROOT, '.vscode-test');

/**
 * The two ends of the VS Code range the host and browser tiers run on. `floor` is the oldest
 * VS Code that engines.vscode accepts, on this machine's Node, with the extension loaded from
 * the repository as a development extension. `latest` is the newest code-server that installs
 * here, on Node 24 from the npm registry's `node` package, with the packaged .vsix installed
 * as a user would install it.
 */
export interface VsCodeTarget {
  name: 'floor' | 'latest';
  codeServerVersion: string;
  /** The VS Code release that code-server version bundles. */
  vscodeVersion: string;
  /** npm spec of the Node that runs code-server; undefined runs it on this process's Node. */
  nodePackage?: string;
  /** The @vscode/ripgrep version code-server pins (its cache folder name depends on it), if any. */
  ripgrepPackageVersion?: string;
  /** Run against the installed .vsix rather than a development path. */
  installed: boolean;
}

export const VSCODE_TARGETS: Record<VsCodeTarget['name'], VsCodeTarget> = {
  // Newest code-server whose install accepts Node 20.
  floor: { name: 'floor', codeServerVersion: '4.100.3', vscodeVersion: '1.100.3', ripgrepPackageVersion: '1.15.11', installed: false },
  // Newest code-server on npm; it needs Node 24 and uses @vscode/ripgrep-universal (no download).
  latest: { name: 'latest', codeServerVersion: '4.139.1', vscodeVersion: '1.139.1', nodePackage: 'node@24', installed: true },
};

/** The environment switch that picks the VS Code version(s): floor, latest or both. */
export const VSCODE_VERSION_ENV = 'VSCODE_VERSION';

/** The target(s) VSCODE_VERSION names; `fallback` when it is unset. Throws on anything else. */
export function selectedTargets(fallback: 'floor' | 'latest' | 'both', value = process.env[VSCODE_VERSION_ENV]): VsCodeTarget[] {
  const choice = (value ?? '').trim() || fallback;
  if (choice === 'both') return [VSCODE_TARGETS.floor, VSCODE_TARGETS.latest];
  if (choice === 'floor' || choice === 'latest') return [VSCODE_TARGETS[choice]];
  throw new Error(`${VSCODE_VERSION_ENV}=${choice}: use floor (VS Code ${VSCODE_TARGETS.floor.vscodeVersion}), latest (${VSCODE_TARGETS.latest.vscodeVersion}) or both`);
}

/** The one target a single runner (host, e2e, demo) works on: VSCODE_VERSION, default floor. */
export function selectedTarget(): VsCodeTarget {
  const targets = selectedTargets('floor');
  if (targets.length !== 1) throw new Error(`${VSCODE_VERSION_ENV}=both runs only through \`npm test\`; pick floor or latest here`);
  return targets[0];
}

/** "VS Code 1.100.3" — how tiers and logs name a target. */
export function targetLabel(target: VsCodeTarget): string {
  return `VS Code ${target.vscodeVersion}`;
}

function log(message: string): void {
  console.log(`[code-server] ${message}`);
}

function debianPackagesMissing(): string[] {
  const missing: string[] = [];
  if (!fs.existsSync(CHROMIUM_PATH)) missing.push('chromium');
  if (!fs.existsSync('/usr/bin/rg')) missing.push('ripgrep');
  // The kerberos native module needs these headers only while code-server is being built.
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (spawnSync('pkg-config', ['--version'], { stdio: 'ignore' }).status !== 0) missing.push('pkg-config');
  if (!fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) missing.push('fonts-noto-cjk');
  if (!fs.existsSync('/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf')) missing.push('fonts-noto-color-emoji');
  if (!fs.existsSync('/usr/bin/tinyproxy')) missing.push('tinyproxy');
  if (!fs.existsSync('/usr/bin/openssl')) missing.push('openssl');
  return missing;
}

/** Installs Chromium, ripgrep and the build headers from Debian when any is missing. */
export function ensureDebianPackages(): void {
  const missing = debianPackagesMissing();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}; run as root: apt-get update && apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`,
    );
  }
  log(`installing Debian packages (${missing.join(', ')} missing)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...DEBIAN_PACKAGES]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${result.status})`);
  }
  const still = debianPackagesMissing();
  if (still.length > 0) throw new Error(`Debian packages still missing after apt-get: ${still.join(' ')}`);
}

/** Where a target's code-server lives, the Node that runs it, and its entry point. */
export interface CodeServerInstall {
  target: VsCodeTarget;
  /** The Node binary that runs code-server (and so its extension host). */
  node: string;
  /** code-server's out/node/entry.js. */
  entry: string;
}

const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function readMarker(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, '.installed'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Runs npm install in `dir` (its own package.json keeps npm from walking up to ours). */
async function npmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv): Promise<void> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `${path.basename(dir)}-for-tests`, private: true }, null, 2) + '\n');
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('npm', ['install', '--no-save', '--loglevel=error', spec], { cwd: dir, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  if (code !== 0) throw new Error(`npm install ${spec} failed (exit ${code})`);
}

/**
 * The environment without what an outer `npm test` / `npm run` put there about itself. Its
 * user agent names the outer Node (code-server's postinstall reads the Node version from
 * npm_config_user_agent, and would refuse Node 24's install under an outer Node 20), and its
 * execpath variables point scripts at that Node too.
 */
function withoutNpmRunVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^(npm_config_user_agent|npm_node_execpath|npm_execpath|NODE|npm_lifecycle_.*|npm_package_.*)$/.test(key)) continue;
    clean[key] = value;
  }
  return clean;
}

const QUIET_NPM: NodeJS.ProcessEnv = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

/**
 * The Node that runs a target's code-server: this process's for the floor; for a newer one the
 * npm registry's `node` package (a real binary plus headers) in .vscode-test/, installed once.
 */
async function ensureNode(target: VsCodeTarget): Promise<{ node: string; nodedir: string }> {
  if (!target.nodePackage) return { node: process.execPath, nodedir: path.dirname(path.dirname(process.execPath)) };
  const dir = path.join(CACHE_DIR, target.nodePackage.replace('@', '-'));
  const nodeDir = path.join(dir, 'node_modules', 'node');
  const node = path.join(nodeDir, 'bin', 'node');
  // The package's preinstall puts the platform package (binary and include/node) under its own node_modules.
  const nodedir = path.join(nodeDir, 'node_modules', `node-${process.platform}-${process.arch}`);
  if (readMarker(dir) === target.nodePackage && fs.existsSync(node) && fs.existsSync(path.join(nodedir, 'include', 'node'))) {
    return { node, nodedir };
  }
  log(`installing ${target.nodePackage} from npm into ${path.relative(REPO_ROOT, dir)} (once)…`);
  await npmInstall(dir, target.nodePackage, { ...withoutNpmRunVariables(process.env), ...QUIET_NPM });
  if (!fs.existsSync(node) || !fs.existsSync(path.join(nodedir, 'include', 'node'))) {
    throw new Error(`${target.nodePackage} installed without ${path.relative(REPO_ROOT, node)} or its headers`);
  }
  fs.writeFileSync(path.join(dir, '.installed'), target.nodePackage + '\n');
  return { node, nodedir };
}

/**
 * Installs the target's code-server into `.vscode-test/code-server-<version>/` once (and its
 * Node, when it needs another) and says how to run it. Later calls find the marker files and
 * return at once.
 */
export async function ensureCodeServer(target: VsCodeTarget = VSCODE_TARGETS.floor): Promise<CodeServerInstall> {
  ensureDebianPackages();
  const { node, nodedir } = await ensureNode(target);
  const version = target.codeServerVersion;
  const dir = path.join(CACHE_DIR, `code-server-${version}`);
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (readMarker(dir) === version && fs.existsSync(entry)) return { target, node, entry };

  const started = Date.now();
  log(`installing code-server ${version} (${targetLabel(target)}) into ${path.relative(REPO_ROOT, dir)} (a minute or two, once)…`);
  // Set up before npm runs; npmInstall wipes the folder first, so the cache goes in afterwards via TMPDIR.
  const tmp = path.join(CACHE_DIR, `.tmp-code-server-${version}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (target.ripgrepPackageVersion) {
    // @vscode/ripgrep's postinstall would download rg from GitHub; it looks in
    // $TMPDIR/vscode-ripgrep-cache-<version>/ first, so hand it Debian's binary there.
    const ripgrepCache = path.join(tmp, `vscode-ripgrep-cache-${target.ripgrepPackageVersion}`);
    fs.mkdirSync(ripgrepCache, { recursive: true });
    const tar = spawnSync('tar', ['-czf', path.join(ripgrepCache, RIPGREP_ARCHIVE), '-C', '/usr/bin', 'rg'], { stdio: 'inherit' });
    if (tar.status !== 0) throw new Error('could not pack /usr/bin/rg for the @vscode/ripgrep cache');
  } else {
    fs.mkdirSync(tmp, { recursive: true });
  }
  const env: NodeJS.ProcessEnv = {
    ...withoutNpmRunVariables(process.env),
    ...QUIET_NPM,
    // Install scripts (native modules) must build for the Node that will run code-server.
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true', // its postinstall refuses to run as root otherwise
    npm_config_yes: 'true', // node-pty runs `npx node-gyp`, which aborts without a TTY otherwise
    npm_config_nodedir: nodedir, // prebuilt downloads fail offline: build against local headers
  };
  try {
    await npmInstall(dir, `code-server@${version}`, env);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!fs.existsSync(entry)) throw new Error(`npm install code-server@${version} left no ${path.relative(REPO_ROOT, entry)}`);
  fs.writeFileSync(path.join(dir, '.installed'), version + '\n');
  log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { target, node, entry };
}

/**
 * Installs extensions (.vsix files) with code-server's own `--install-extension`, exactly as
 * `code --install-extension` does for a user. `args` name the folders (extensions, user data,
 * config) and `env` is the server's environment, so nothing lands in the real home folder.
 */
function installExtensions(install: CodeServerInstall, args: string[], env: NodeJS.ProcessEnv, vsixFiles: string[]): void {
  const all = [install.entry, ...args];
  for (const file of vsixFiles) all.push('--install-extension', file);
  const result = spawnSync(install.node, all, { encoding: 'utf8', env, timeout: 120_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.status !== 0 || /Failed Installing|error/i.test(output)) {
    throw new Error(`code-server --install-extension failed (exit ${result.status}):\n${output}`);
  }
  for (const line of output.split('\n')) if (/successfully installed/.test(line)) log(line.trim());
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}

/** Settings that keep an offline workbench quiet and deterministic. */
const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
};

/** Trust on and never asked: an unknown folder stays in Restricted Mode. */
const RESTRICTED_MODE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

export interface WorkbenchOptions {
  /** The VS Code version to run; default the floor. */
  target?: VsCodeTarget;
  /** Absolute path of an extension folder to load as a development extension. */
  extensionDevelopmentPath?: string;
  /** .vsix files installed (in order) into the fresh extensions folder before the server starts. */
  installExtensions?: string[];
  /** Absolute path of a compiled suite index exporting `run()`; omit to open a plain workbench. */
  extensionTestsPath?: string;
  /** Folder to open; defaults to an empty folder inside the temp folder. */
  workspaceFolder?: string;
  /** Merged over the quiet defaults in User/settings.json. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server; its extension host inherits it. */
  env?: Record<string, string>;
  port?: number;
  /** Keep the temp folder (logs, user data) after stop(), for debugging. */
  keepTemp?: boolean;
  /** Workspace trust on, without the startup prompt: the folder opens in Restricted Mode (default off: everything trusted). */
  workspaceTrust?: boolean;
  /** VS Code display language, e.g. 'zh-cn' (code-server's `--locale`); English when omitted. */
  locale?: string;
}

export interface Workbench {
  /** The workbench page to open in a browser. */
  url: string;
  target: VsCodeTarget;
  port: number;
  tmpDir: string;
  /** Everything code-server printed so far. */
  serverLog(): string;
  /** Kills code-server's whole process group (extension host included) and removes tmpDir. */
  stop(): Promise<void>;
}

const SERVER_LOG_LIMIT = 2 * 1024 * 1024;

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function killGroup(pgid: number): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(-pgid, signal);
    } catch {
      return; // the group is already gone
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (!groupAlive(pgid)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * `--locale` alone leaves VS Code in English (`vscode.env.language` stays 'en') unless a language
 * pack for that locale is installed, and the real packs come from the Marketplace, which is out
 * of reach offline. VS Code's server reads installed packs from `<user-data>/languagepacks.json`,
 * so this registers one whose core translations are empty: the workbench's own UI stays English,
 * while the display language (and every extension's `l10n` bundle) becomes `locale`.
 */
function writeEmptyLanguagePack(userDataDir: string, locale: string): void {
  const translations = path.join(userDataDir, `empty-language-pack.${locale}.i18n.json`);
  fs.writeFileSync(translations, JSON.stringify({ contents: {} }) + '\n');
  const packs = {
    [locale]: {
      hash: `empty-${locale}`,
      label: locale,
      extensions: [{ extensionIdentifier: { id: `test.empty-language-pack-${locale}` }, version: '0.0.0' }],
      translations: { vscode: translations },
    },
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs, null, 2) + '\n');
}

/** Starts code-server in its own process group and waits until it answers /healthz. */
export async function launchWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const target = opts.target ?? VSCODE_TARGETS.floor;
  const install = await ensureCodeServer(target);
  const port = opts.port ?? (await freePort());
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-packages-code-server-'));
  const dirs = {
    userData: path.join(tmpDir, 'user-data'),
    extensions: path.join(tmpDir, 'extensions'),
    xdgConfig: path.join(tmpDir, 'xdg-config'),
    xdgData: path.join(tmpDir, 'xdg-data'),
    xdgCache: path.join(tmpDir, 'xdg-cache'),
    workspace: path.join(tmpDir, 'workspace'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...(opts.workspaceTrust ? RESTRICTED_MODE_SETTINGS : {}), ...opts.settings }, null, 2) + '\n',
  );
  if (opts.locale && !opts.locale.toLowerCase().startsWith('en')) writeEmptyLanguagePack(dirs.userData, opts.locale.toLowerCase());
  const configFile = path.join(tmpDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const workspaceFolder = path.resolve(opts.workspaceFolder ?? dirs.workspace);

  const folderArgs = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--config', configFile];
  const args = [
    install.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--config', configFile,
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (opts.locale) args.push('--locale', opts.locale);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    EXTENSIONS_GALLERY: '{}', // stops repeated lookups of an unreachable gallery
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
  };
  if (opts.installExtensions?.length) installExtensions(install, folderArgs, env, opts.installExtensions);
  // Its own process group, so stop() reaches the extension host and every other descendant.
  const child: ChildProcess = spawn(install.node, args, {
    cwd: tmpDir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logText = '';
  const append = (chunk: Buffer): void => {
    logText += chunk.toString('utf8');
    if (logText.length > SERVER_LOG_LIMIT) logText = logText.slice(-SERVER_LOG_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start');

  // A runner that dies without calling stop() must not leave code-server behind.
  const killOnExit = (): void => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', killOnExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await killGroup(pgid);
    process.removeListener('exit', killOnExit);
    child.stdout?.destroy();
    child.stderr?.destroy();
    if (!opts.keepTemp) fs.rmSync(tmpDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  while (!(await healthy(port))) {
    if (exited !== undefined || Date.now() > deadline) {
      const reason = exited !== undefined ? `code-server stopped (${exited})` : 'code-server did not answer /healthz within 60 s';
      const tail = logText.split('\n').slice(-40).join('\n');
      await stop();
      throw new Error(`${reason}\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const remote = (absolute: string): string => `vscode-remote://127.0.0.1:${port}${path.resolve(absolute)}`;
  const payload: [string, string][] = [];
  // VS Code runs a test suite only in an extension-development window. To test the installed
  // extensions, the window gets an empty development folder: it finds no extension there, so
  // the installed ones load as they would for a user.
  let developmentPath = opts.extensionDevelopmentPath;
  if (!developmentPath && opts.extensionTestsPath) {
    developmentPath = path.join(tmpDir, 'no-development-extensions');
    fs.mkdirSync(developmentPath, { recursive: true });
  }
  if (developmentPath) payload.push(['extensionDevelopmentPath', remote(developmentPath)]);
  if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remote(opts.extensionTestsPath)]);
  payload.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);
  const url =
    `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspaceFolder)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  return { url, target, port, tmpDir, serverLog: () => logText, stop };
}

export interface ChromiumOptions {
  /** Defaults to true; pass false to watch the workbench (needs a display). */
  headless?: boolean;
  /** Where Chromium may write its caches and config; a temp folder is made when omitted. */
  tmpDir?: string;
  viewport?: { width: number; height: number };
  /** Called with the exit code when the extension host finishes a test run. */
  onAutomationExit?: (code: number) => void;
  /** Called with each console line of the extension host (mocha's reporter included). */
  onAutomationLog?: (type: string, line: string) => void;
}

export interface ChromiumSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Launches Debian's Chromium with the flags a closed network needs; navigate with session.page.goto(url). */
export async function launchChromium(opts: ChromiumOptions = {}): Promise<ChromiumSession> {
  if (!fs.existsSync(CHROMIUM_PATH)) ensureDebianPackages();
  const ownTmp = opts.tmpDir === undefined;
  const tmpDir = opts.tmpDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-packages-chromium-'));
  const xdg = {
    XDG_CONFIG_HOME: path.join(tmpDir, 'chromium-config'),
    XDG_CACHE_HOME: path.join(tmpDir, 'chromium-cache'),
    XDG_DATA_HOME: path.join(tmpDir, 'chromium-data'),
  };
  for (const dir of Object.values(xdg)) fs.mkdirSync(dir, { recursive: true });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, xdg);

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: opts.headless ?? true,
    env,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Without these the closed network refuses many of Chromium's own connections.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
    // Exposed before any navigation: the workbench looks for them once, at startup.
    const { onAutomationExit, onAutomationLog } = opts;
    if (onAutomationExit) {
      await context.exposeFunction('codeAutomationExit', (code: unknown) => onAutomationExit(Number(code)));
    }
    if (onAutomationLog) {
      await context.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
        const parts = Array.isArray(args) ? args : [args];
        onAutomationLog(String(type), util.format(...parts));
      });
    }
    const page = await context.newPage();
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      await browser.close().catch(() => undefined);
      if (ownTmp) fs.rmSync(tmpDir, { recursive: true, force: true });
    };
    return { browser, context, page, close };
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw e;
  }
}
