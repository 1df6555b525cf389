// The layering of src/, read from the import lines of every src/**/*.ts: arrows point down
// only (commands, tree, details → actions → services → packages, registry → gitlab), the
// vscode-free folders know no VS Code, nothing imports commands/ but the command index and
// activate(), and no two folders import each other.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');

/** Higher imports lower (or its own rank); never the other way. */
const RANK: Record<string, number> = {
  gitlab: 0,
  packages: 1,
  registry: 1,
  services: 2,
  actions: 3,
  tree: 4,
  details: 4,
  commands: 4,
  '.': 5, // src/extension.ts
};
const VSCODE_FREE = new Set(['gitlab', 'packages', 'registry']);
const VSCODE_LAYER = new Set(['services', 'actions', 'tree', 'details', 'commands', '.']);

export interface Import {
  /** Importing file, relative to src/ with forward slashes (`details/panel.ts`). */
  file: string;
  /** The module as written (`../commands/deletion`, `vscode`). */
  spec: string;
  /** `import type …` / `export type … from`: no runtime edge. */
  typeOnly: boolean;
}

/** Every `import … from '…'`, `export … from '…'` and `import '…'` of one source text. */
export function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(statement)) found.push({ file, spec: m[3], typeOnly: !!m[2] });
  return found;
}

function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/** The src/ folder a relative import lands in, or undefined for a package (vscode, node:fs, …). */
function targetFolder(imp: Import): { folder: string; file: string } | undefined {
  if (!imp.spec.startsWith('.')) return undefined;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(imp.file), imp.spec));
  // `../gitlab`, `./commands`: a folder's index.
  if (!resolved.includes('/') && resolved in RANK) return { folder: resolved, file: `${resolved}/index` };
  return { folder: folderOf(resolved), file: resolved };
}

/** The node records (plain data and helpers, no vscode) that the flows below the tree act on. */
const NODE_RECORDS = new Set(['tree/nodes', 'tree/registry-nodes']);

/**
 * The one way up: actions and services may use the tree's node records, and name other tree
 * types (the provider the services container holds) in type-only imports. Such edges carry
 * no runtime dependency and are left out of the cycle check.
 */
function allowedUpward(imp: Import, from: string, to: { folder: string; file: string }): boolean {
  return to.folder === 'tree' && (from === 'actions' || from === 'services') && (imp.typeOnly || NODE_RECORDS.has(to.file));
}

/** Every rule broken by a set of imports, as `file → spec: why` lines (empty when clean). */
export function violations(imports: readonly Import[]): string[] {
  const problems: string[] = [];
  const edges = new Map<string, Map<string, string>>();
  for (const imp of imports) {
    const from = folderOf(imp.file);
    const where = `${imp.file} → ${imp.spec}`;
    if (!(from in RANK)) problems.push(`${where}: src/${from}/ is not a known layer (add it to RANK)`);
    if (imp.spec === 'vscode' && VSCODE_FREE.has(from)) problems.push(`${where}: src/${from}/ must not import vscode`);
    const target = targetFolder(imp);
    if (!target || target.folder === from) {
      if (target && from === 'commands' && imp.file !== 'commands/index.ts' && target.file !== 'commands/command') {
        problems.push(`${where}: a command file imports only ./command from commands/ (shared code goes to actions/)`);
      }
      continue;
    }
    const to = target.folder;
    if (!(to in RANK)) continue;
    if (VSCODE_FREE.has(from) && VSCODE_LAYER.has(to)) problems.push(`${where}: src/${from}/ must not import the VS Code layer (src/${to}/)`);
    if (to === 'commands' && !(imp.file === 'extension.ts')) problems.push(`${where}: only the command index and extension.ts import commands/`);
    if (RANK[to] > RANK[from] && !allowedUpward(imp, from, target)) problems.push(`${where}: src/${from}/ must not import the layer above it (src/${to}/)`);
    if (allowedUpward(imp, from, target)) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, where);
  }
  for (const [a, targets] of edges) {
    for (const [b, where] of targets) {
      if (a < b && edges.get(b)?.has(a)) problems.push(`folder cycle src/${a}/ ↔ src/${b}/: ${where} and ${edges.get(b)!.get(a)}`);
    }
  }
  for (const cycle of longerCycles(edges)) problems.push(`folder cycle ${cycle.map((f) => `src/${f}/`).join(' → ')}`);
  return problems;
}

/** Folder cycles of three or more (two-folder cycles are reported with their import lines). */
function longerCycles(edges: Map<string, Map<string, string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const walk = (start: string, at: string, trail: string[]): void => {
    for (const next of edges.get(at)?.keys() ?? []) {
      if (next === start && trail.length >= 3) {
        const key = [...trail].sort().join(',');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...trail, start]);
        }
      } else if (!trail.includes(next) && next > start) {
        walk(start, next, [...trail, next]);
      }
    }
  };
  for (const start of edges.keys()) walk(start, start, [start]);
  return cycles;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('architecture: import directions of src/', () => {
  const imports = sourceFiles(SRC).flatMap((full) => importsOf(path.relative(SRC, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8')));

  it('reads the import lines of every layer', () => {
    const folders = new Set(imports.map((i) => folderOf(i.file)));
    for (const f of Object.keys(RANK)) assert.ok(folders.has(f), `no imports read from src/${f}/`);
    assert.ok(imports.some((i) => i.file === 'details/panel.ts' && i.spec === '../actions/deletion'), 'the multi-name import of details/panel.ts was not read');
    assert.ok(imports.some((i) => i.file === 'extension.ts' && i.spec === './commands'), 'the command index import of extension.ts was not read');
  });

  it('src/ breaks no layering rule and has no folder cycle', () => {
    assert.deepEqual(violations(imports), []);
  });

  it('reports each kind of forbidden import (the check can fail)', () => {
    const bad: Import[] = [
      ...importsOf('details/panel.ts', "import { changed,\n  confirmDeleteFiles } from '../commands/deletion';"),
      ...importsOf('packages/format.ts', "import * as vscode from 'vscode';"),
      ...importsOf('registry/status.ts', "import type { Services } from '../services/services';"),
      ...importsOf('gitlab/client.ts', "export { describeError } from '../packages/errors';"),
      ...importsOf('commands/copyName.ts', "import { copyText } from './copyVersion';"),
      ...importsOf('actions/copy.ts', "import { toTreeItem } from '../tree/items';"),
      ...importsOf('actions/pick.ts', "import { RegistryBranch } from '../tree/registry-loader';"),
      ...importsOf('actions/pick.ts', "import { PackagesTreeProvider } from '../tree/provider';"),
      ...importsOf('packages/deleteSummary.ts', "import { activate } from '../extension';"),
      ...importsOf('services/report.ts', "import {\n  registerCommands,\n} from '../commands';"),
    ];
    const found = violations(bad);
    const expect = [
      'details/panel.ts → ../commands/deletion: only the command index',
      'packages/format.ts → vscode: src/packages/ must not import vscode',
      'registry/status.ts → ../services/services: src/registry/ must not import the VS Code layer',
      'gitlab/client.ts → ../packages/errors: src/gitlab/ must not import the layer above',
      'commands/copyName.ts → ./copyVersion: a command file imports only ./command',
      'actions/copy.ts → ../tree/items: src/actions/ must not import the layer above',
      'actions/pick.ts → ../tree/registry-loader: src/actions/ must not import the layer above',
      'actions/pick.ts → ../tree/provider: src/actions/ must not import the layer above',
      'packages/deleteSummary.ts → ../extension: src/packages/ must not import the VS Code layer',
      'services/report.ts → ../commands: only the command index',
    ];
    for (const e of expect) assert.ok(found.some((p) => p.startsWith(e)), `not reported: ${e}\n${found.join('\n')}`);
  });

  it('reports folder cycles, of two folders and longer', () => {
    const two = violations([
      ...importsOf('tree/items.ts', "import { showDetails } from '../details/panel';"),
      ...importsOf('details/panel.ts', "import type { TreeNode } from '../tree/nodes';"),
    ]);
    assert.ok(two.some((p) => p.startsWith('folder cycle src/details/ ↔ src/tree/')), two.join('\n'));
    const three = violations([
      ...importsOf('tree/items.ts', "import { a } from '../details/panel';"),
      ...importsOf('details/panel.ts', "import { b } from '../commands/index';"),
      ...importsOf('commands/index.ts', "import { c } from '../tree/items';"),
    ]);
    assert.ok(three.some((p) => p.startsWith('folder cycle') && p.includes('src/commands/') && p.includes('src/details/') && p.includes('src/tree/')), three.join('\n'));
  });
});
