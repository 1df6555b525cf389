// `npm run demo`: the extension in a real VS Code UI (code-server) against a seeded local fake
// GitLab, or against a real GitLab with --gitlab. Prints the URL to open; Ctrl-C stops
// everything it started. The browser end-to-end tests (test/e2e/) start the same session.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer, launchWorkbench, REPO_ROOT, selectedTarget, VSCODE_TARGETS, VSCODE_VERSION_ENV, type VsCodeTarget, type Workbench } from './code-server';
import { ensureVsix, packSigninHelper, prepareSigninHelper } from './vsix';
import type { FakeGitLab } from '../test/fake-gitlab';
import { DEMO_OPEN_VIEW_ENV, DEMO_TOKEN_ENV, DEMO_URL_ENV } from '../test/e2e/signin-helper/protocol';

export const DEFAULT_PORT = 8080;
export const DEFAULT_LATENCY_MS = 100;
export const DEFAULT_LARGE_PROJECT_PACKAGES = 3000;
export const DEFAULT_PROJECTS = ['acme/web-app', 'acme/big'];
export const DEFAULT_GROUPS = ['acme'];
/** The workspace's git remote points here, so the tree also shows a project found that way. */
export const DEMO_REMOTE_PROJECT = 'acme/platform/tools/cli';

export interface DemoOptions {
  /**
   * The VS Code version; default the floor. The floor loads the extension from this repository
   * as a development extension; a target with `installed` installs the packaged .vsix (and the
   * sign-in helper, packed the same way) into the extensions folder instead.
   */
  target?: VsCodeTarget;
  /** code-server's port on 127.0.0.1; 0 picks a free one. Default 8080. */
  port?: number;
  /** Delay the fake GitLab adds to every response. Default 100 ms. */
  latencyMs?: number;
  /** Use this GitLab instead of the fake one: nothing is seeded and nobody is signed in. */
  gitlabUrl?: string;
  /** Packages in acme/big. Default 3000. */
  largeProjectPackages?: number;
  /** `gitlabPackages.projects`; defaults to DEFAULT_PROJECTS with the fake, none with --gitlab. */
  projects?: string[];
  /** `gitlabPackages.groups`; defaults to DEFAULT_GROUPS with the fake, none with --gitlab. */
  groups?: string[];
  /** Folder to open; default: a temporary git repository whose remote is DEMO_REMOTE_PROJECT. */
  folder?: string;
  /** Sign each browser in to the fake GitLab as its maintainer. Default true (never with --gitlab). */
  signIn?: boolean;
  /**
   * With gitlabUrl: sign each browser in with this token (scripts/bench-ui.ts, whose fake GitLab
   * runs in a process of its own). Only ever a token of a local fake server.
   */
  signInToken?: string;
  /** Reveal the GitLab Packages view once signed in. Default true. */
  openView?: boolean;
  /** More user settings (merged last). */
  settings?: Record<string, unknown>;
  /** Keep code-server's temp folder (logs, user data) after stop(). */
  keepTemp?: boolean;
  /** VS Code display language, e.g. 'zh-cn' (the extension's own strings follow it). */
  locale?: string;
}

export interface DemoSession {
  /** The workbench URL to open in a browser. */
  url: string;
  /** The GitLab instance the extension is pointed at. */
  gitlabUrl: string;
  /** The in-process fake GitLab (tests change its data and tokens); undefined with --gitlab. */
  fake?: FakeGitLab;
  workbench: Workbench;
  /** The folder the workbench opened. */
  folder: string;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * VS Code loads one development extension folder per window, but a folder without a
 * package.json of its own is scanned for extensions one level down. So both extensions go
 * side by side into one folder: GitLab Packages as a link to the repository, the helper copied.
 */
function prepareDevelopmentExtensions(dir: string, withHelper: boolean): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'gitlab-packages'), 'dir');
  if (withHelper) prepareSigninHelper(path.join(dir, 'signin-helper'));
}

function makeWorkspace(dir: string, remote: string | undefined): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    [
      '# GitLab Packages demo workspace',
      '',
      'Open the GitLab Packages view in the activity bar. The projects and groups come from the',
      '`gitlabPackages.*` user settings; the project marked "git remote" comes from this',
      "folder's git remote.",
      '',
    ].join('\n'),
  );
  if (!remote) return;
  try {
    execFileSync('git', ['init', '-q', dir], { stdio: 'ignore' });
    execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', remote], { stdio: 'ignore' });
  } catch {
    // Without git the demo still works; only the git-remote root is missing.
  }
}

/** Starts the fake GitLab (unless gitlabUrl is given) and code-server with the extension loaded. */
export async function startDemo(options: DemoOptions = {}): Promise<DemoSession> {
  const port = options.port ?? DEFAULT_PORT;
  if (port !== 0 && !(await portFree(port))) {
    throw new Error(`port ${port} on 127.0.0.1 is in use: pass --port N (or --port 0 for any free port)`);
  }
  const target = options.target ?? VSCODE_TARGETS.floor;
  await ensureCodeServer(target);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-packages-demo-'));
  let fake: FakeGitLab | undefined;
  let workbench: Workbench | undefined;
  const stop = async (): Promise<void> => {
    await workbench?.stop();
    await fake?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    let gitlabUrl: string;
    const env: Record<string, string> = {};
    const useFake = options.gitlabUrl === undefined;
    if (useFake) {
      // Loaded lazily so a --gitlab session does not build the fake's seed.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fakeModule = require('../test/fake-gitlab') as typeof import('../test/fake-gitlab');
      fake = await fakeModule.startFakeGitLab({
        host: '127.0.0.1',
        port: 0,
        latencyMs: options.latencyMs ?? DEFAULT_LATENCY_MS,
        seed: { largeProjectPackages: options.largeProjectPackages ?? DEFAULT_LARGE_PROJECT_PACKAGES },
      });
      gitlabUrl = fake.url;
      if (options.signIn ?? true) {
        env[DEMO_URL_ENV] = fake.url;
        env[DEMO_TOKEN_ENV] = fake.tokens.maintainer;
      }
    } else {
      gitlabUrl = new URL(options.gitlabUrl as string).toString().replace(/\/+$/, '');
      if (options.signInToken) {
        env[DEMO_URL_ENV] = gitlabUrl;
        env[DEMO_TOKEN_ENV] = options.signInToken;
      }
    }
    if (options.openView ?? true) env[DEMO_OPEN_VIEW_ENV] = '1';

    let folder = options.folder ? path.resolve(options.folder) : path.join(tmp, 'workspace');
    if (!options.folder) makeWorkspace(folder, useFake ? `${gitlabUrl}/${DEMO_REMOTE_PROJECT}.git` : undefined);
    folder = fs.realpathSync(folder);

    let extensions: { extensionDevelopmentPath: string } | { installExtensions: string[] };
    if (target.installed) {
      // Installed in this order: the helper depends on the extension.
      extensions = { installExtensions: [ensureVsix(), packSigninHelper(path.join(tmp, 'vsix'))] };
    } else {
      const extensionsDir = path.join(tmp, 'development-extensions');
      prepareDevelopmentExtensions(extensionsDir, true);
      extensions = { extensionDevelopmentPath: extensionsDir };
    }

    workbench = await launchWorkbench({
      target,
      ...extensions,
      workspaceFolder: folder,
      port: port === 0 ? undefined : port,
      env,
      keepTemp: options.keepTemp,
      locale: options.locale,
      settings: {
        'gitlabPackages.url': gitlabUrl,
        'gitlabPackages.projects': options.projects ?? (useFake ? DEFAULT_PROJECTS : []),
        'gitlabPackages.groups': options.groups ?? (useFake ? DEFAULT_GROUPS : []),
        'gitlabPackages.detectFromGitRemotes': true,
        'workbench.colorTheme': 'Default Dark Modern',
        ...options.settings,
      },
    });
    return { url: workbench.url, gitlabUrl, fake, workbench, folder, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

interface CliOptions extends DemoOptions {
  help?: boolean;
}

const USAGE = `usage: npm run demo -- [options]
  --port N        code-server port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)
  --latency MS    delay the fake GitLab adds to each response (default ${DEFAULT_LATENCY_MS})
  --big N         packages in the large project acme/big (default ${DEFAULT_LARGE_PROJECT_PACKAGES})
  --gitlab URL    use this GitLab instead of the fake one; sign in with "GitLab Packages: Set Token…"
  --project P     a project to show (repeatable; replaces the defaults)
  --group G       a group to show (repeatable; replaces the defaults)
  --folder DIR    folder to open (its git remotes are detected)
  --locale L      VS Code display language, e.g. zh-cn (简体中文)
  --keep-temp     keep code-server's temp folder (logs) after stopping`;

export function parseDemoArgs(argv: string[]): CliOptions {
  const opts: CliOptions = {};
  const value = (flag: string, v: string | undefined): string => {
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const count = (flag: string, v: string | undefined): number => {
    const n = Number(value(flag, v));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--port':
        opts.port = count(arg, argv[++i]);
        if (opts.port > 65535) throw new Error('--port must be at most 65535');
        break;
      case '--latency':
        opts.latencyMs = count(arg, argv[++i]);
        break;
      case '--big':
        opts.largeProjectPackages = count(arg, argv[++i]);
        break;
      case '--gitlab': {
        const url = value(arg, argv[++i]);
        if (!/^https?:\/\/[^\s/]+/i.test(url)) throw new Error('--gitlab needs an http(s) URL, e.g. https://gitlab.example.com');
        opts.gitlabUrl = url;
        break;
      }
      case '--project':
        (opts.projects ??= []).push(value(arg, argv[++i]));
        break;
      case '--group':
        (opts.groups ??= []).push(value(arg, argv[++i]));
        break;
      case '--folder':
        opts.folder = value(arg, argv[++i]);
        break;
      case '--locale': {
        const locale = value(arg, argv[++i]);
        if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(locale)) throw new Error('--locale needs a language tag, e.g. zh-cn');
        opts.locale = locale.toLowerCase();
        break;
      }
      case '--keep-temp':
        opts.keepTemp = true;
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return opts;
}

async function main(): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseDemoArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`[demo] ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }

  let session: DemoSession | undefined = undefined;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[demo] ${signal}: stopping everything it started…`);
    void (session?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const target = selectedTarget();
  console.log(`[demo] starting (VS Code ${target.vscodeVersion}; ${VSCODE_VERSION_ENV}=floor|latest picks another)…`);
  session = await startDemo({ ...opts, target });
  if (stopping) {
    await session.stop();
    return 0;
  }
  const lines = [
    '',
    'GitLab Packages demo is running. Open this URL in a browser (Chromium, Chrome, Firefox):',
    '',
    `  ${session.url}`,
    '',
  ];
  if (session.fake) {
    lines.push(
      `Fake GitLab: ${session.fake.url} (latency ${session.fake.latencyMs} ms, ${opts.largeProjectPackages ?? DEFAULT_LARGE_PROJECT_PACKAGES} packages in acme/big).`,
      'Each browser window signs in as @alice (Maintainer) by running "GitLab Packages: Set Token…" for you;',
      'the other roles\' tokens (developer, reporter, guest, read_api, expired…) are listed in test/fake-gitlab/seed.ts.',
    );
  } else {
    lines.push(`GitLab: ${session.gitlabUrl}. Sign in with "GitLab Packages: Set Token…" (command palette or the view's welcome).`);
  }
  lines.push(
    `Workspace: ${session.folder}`,
    `On a remote machine forward the same port first: ssh -L ${session.workbench.port}:127.0.0.1:${session.workbench.port} <host>`,
    '',
    'Press Ctrl-C to stop.',
  );
  console.log(lines.join('\n'));
  // Keep running until a signal: the servers' sockets keep the event loop alive.
  return await new Promise<number>(() => undefined);
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('[demo]', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
