import type { Readable } from 'node:stream';

/**
 * Generic package uploads (BEYOND.md §3.1): GitLab's own parameter rules, checked before a
 * byte is sent. Problems are codes; the domain layer words them for people.
 */

/** `maven_file_name_regex`: package and file names. */
export const GENERIC_NAME_RE = /^[A-Za-z0-9._+-]+$/;
/** `maven_version_regex`: word characters (ASCII, as in Ruby), `+`, `.`, `-`, and no `..`. */
export const GENERIC_VERSION_RE = /^(?!.*\.\.)[A-Za-z0-9_+.-]+$/;

export type GenericNameProblem = 'empty' | 'characters' | 'traversal';
export type GenericVersionProblem = 'empty' | 'characters' | 'dotdot';

/** `file_path: true` also refuses names that are a path step on their own. */
export function genericNameProblem(name: string): GenericNameProblem | undefined {
  if (name === '') return 'empty';
  if (!GENERIC_NAME_RE.test(name)) return 'characters';
  if (name === '.' || name === '..') return 'traversal';
  return undefined;
}

export function genericVersionProblem(version: string): GenericVersionProblem | undefined {
  if (version === '') return 'empty';
  if (version.includes('..')) return 'dotdot';
  if (!GENERIC_VERSION_RE.test(version)) return 'characters';
  return undefined;
}

export type GenericStatus = 'default' | 'hidden';

export interface GenericUploadTarget {
  projectId: number | string;
  packageName: string;
  packageVersion: string;
  fileName: string;
  /** Optional sub-directories between version and file name (newer servers), e.g. `dist/linux`. */
  path?: string;
  /** Omitted: GitLab's default (`default`). A later upload with a status changes the package's. */
  status?: GenericStatus;
}

export interface GenericUploadOptions {
  /** Opens the file (again, if GitLab answers 429 and the upload is retried). Never read whole. */
  open(): Readable;
  /** Bytes in the file: sent as Content-Length (object storage needs it) and used for progress. */
  size: number;
  signal?: AbortSignal;
  onProgress?(sent: number, total: number): void;
  /** `package_file`: GitLab answers 200 with the stored file record instead of 201. */
  select?: 'package_file';
}

/** `select=package_file`: the raw `Packages::PackageFile` record (not the REST entity). */
export interface GenericUploadedFile {
  id: number;
  package_id: number;
  file_name: string;
  size: number;
  file_sha256?: string | null;
  created_at?: string;
  [key: string]: unknown;
}

export interface GenericUploadResult {
  status: number;
  /** With `select: 'package_file'` and a record in the answer. */
  file?: GenericUploadedFile;
}

/** Why a target cannot be sent, or undefined when GitLab's rules accept it. */
export function genericTargetProblem(t: GenericUploadTarget): { field: 'packageName' | 'packageVersion' | 'fileName' | 'path'; problem: string } | undefined {
  const name = genericNameProblem(t.packageName);
  if (name) return { field: 'packageName', problem: name };
  const version = genericVersionProblem(t.packageVersion);
  if (version) return { field: 'packageVersion', problem: version };
  const file = genericNameProblem(t.fileName);
  if (file) return { field: 'fileName', problem: file };
  for (const seg of pathSegments(t.path)) {
    const p = genericNameProblem(seg);
    if (p) return { field: 'path', problem: p };
  }
  return undefined;
}

/** `projects/:id/packages/generic/:name/:version/(:path/):file_name` with every segment encoded. */
export function genericUploadPath(projectSegment: string, t: GenericUploadTarget): string {
  const segs = [t.packageName, t.packageVersion, ...pathSegments(t.path), t.fileName].map(encodeURIComponent);
  const query = new URLSearchParams();
  if (t.status) query.set('status', t.status);
  const qs = query.toString();
  return `/projects/${projectSegment}/packages/generic/${segs.join('/')}${qs ? `?${qs}` : ''}`;
}

function pathSegments(path: string | undefined): string[] {
  if (path === undefined) return [];
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}
