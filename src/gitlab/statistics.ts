/** Project statistics (BEYOND.md §2.1): all sizes in bytes. */
export interface GitLabProjectStatistics {
  commit_count?: number;
  storage_size?: number;
  repository_size?: number;
  wiki_size?: number;
  lfs_objects_size?: number;
  job_artifacts_size?: number;
  pipeline_artifacts_size?: number;
  packages_size?: number;
  snippets_size?: number;
  uploads_size?: number;
  container_registry_size?: number;
}

const FIELDS: ReadonlyArray<keyof GitLabProjectStatistics> = [
  'commit_count',
  'storage_size',
  'repository_size',
  'wiki_size',
  'lfs_objects_size',
  'job_artifacts_size',
  'pipeline_artifacts_size',
  'packages_size',
  'snippets_size',
  'uploads_size',
  'container_registry_size',
];

/**
 * The `statistics` key of `GET /projects/:id?statistics=true`: `undefined` when it is absent
 * (anonymous, or below Reporter: GitLab leaves it out rather than sending null). Only
 * non-negative integers are kept.
 */
export function readStatistics(project: unknown): GitLabProjectStatistics | undefined {
  if (!project || typeof project !== 'object') return undefined;
  const raw = (project as { statistics?: unknown }).statistics;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: GitLabProjectStatistics = {};
  for (const key of FIELDS) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) out[key] = v;
  }
  return out;
}
