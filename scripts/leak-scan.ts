// Token leak scan: after a host or e2e run, search everything the extension and the workbench
// wrote for every secret the tests used. Run by scripts/host-test.ts and test/e2e/run.ts
// before they clean up; a hit fails the run. Reports name the file and the secret's label only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

export interface ScanSource {
  /** What this is, for the report (e.g. "user-data", "code-server log"). */
  label: string;
  /** A folder searched recursively (every file, binary ones such as SQLite databases included). */
  dir?: string;
  /** Or text captured in memory. */
  text?: string;
}

export interface LeakScanResult {
  files: number;
  bytes: number;
  secrets: number;
  sources: string[];
  /** `<source>: <file> contains <secret label>` */
  hits: string[];
}

function* filesUnder(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** Searches each source for each secret, as UTF-8 and as UTF-16LE (some stores keep UTF-16 strings). */
export function leakScan(sources: ScanSource[], secrets: Record<string, string>): LeakScanResult {
  const needles = Object.entries(secrets).flatMap(([label, value]) => [
    { label, bytes: Buffer.from(value, 'utf8') },
    { label, bytes: Buffer.from(value, 'utf16le') },
  ]);
  const result: LeakScanResult = { files: 0, bytes: 0, secrets: Object.keys(secrets).length, sources: sources.map((s) => s.label), hits: [] };
  const search = (source: string, name: string, data: Buffer): void => {
    result.files++;
    result.bytes += data.length;
    const found = new Set<string>();
    for (const n of needles) if (data.includes(n.bytes)) found.add(n.label);
    for (const label of found) result.hits.push(`${source}: ${name} contains the ${label}`);
  };
  for (const source of sources) {
    if (source.text !== undefined) search(source.label, '(captured text)', Buffer.from(source.text, 'utf8'));
    if (source.dir === undefined) continue;
    for (const file of filesUnder(source.dir)) {
      let data: Buffer;
      try {
        data = fs.readFileSync(file);
      } catch {
        continue;
      }
      search(source.label, path.relative(source.dir, file), data);
    }
  }
  return result;
}

/**
 * Everything the workbench keeps in the browser (code-server stores globalState,
 * workspaceState and its encrypted SecretStorage in IndexedDB) and localStorage, as text.
 */
export async function browserStorageDump(page: Page): Promise<string> {
  return await page.evaluate(async () => {
    const parts: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i) ?? '';
      parts.push(`localStorage ${key}=${localStorage.getItem(key) ?? ''}`);
    }
    const text = (v: unknown): string => {
      if (v instanceof Uint8Array) return new TextDecoder().decode(v);
      if (v instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(v));
      return typeof v === 'string' ? v : JSON.stringify(v);
    };
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const entries = await new Promise<Array<[unknown, unknown]>>((resolve, reject) => {
          const tx = db.transaction(store, 'readonly');
          const os = tx.objectStore(store);
          const keys = os.getAllKeys();
          const values = os.getAll();
          tx.oncomplete = () => resolve(keys.result.map((k, j) => [k, values.result[j]]));
          tx.onerror = () => reject(tx.error);
        });
        for (const [k, v] of entries) parts.push(`indexedDB ${info.name}/${store} ${text(k)}=${text(v)}`);
      }
      db.close();
    }
    return parts.join('\n');
  });
}

/** Prints one line (and every hit); returns true when nothing leaked. */
export function reportLeakScan(tier: string, result: LeakScanResult): boolean {
  const mb = (result.bytes / 1024 / 1024).toFixed(1);
  console.log(`[leak-scan] ${tier}: ${result.files} files and texts, ${mb} MB (${result.sources.join(', ')}), ${result.secrets} secrets: ${result.hits.length} hits`);
  for (const hit of result.hits) console.log(`[leak-scan]   ${hit}`);
  return result.hits.length === 0;
}
