/**
 * Response shapes of GitLab's REST Packages API, keeping GitLab's own field names
 * (see shared/gitlab-api/REFERENCE.md, section 4).
 */

export const PACKAGE_TYPES = [
  'maven',
  'npm',
  'conan',
  'nuget',
  'pypi',
  'composer',
  'generic',
  'golang',
  'debian',
  'rubygems',
  'helm',
  'terraform_module',
  'rpm',
  'ml_model',
] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

export const PACKAGE_STATUSES = ['default', 'hidden', 'processing', 'error', 'pending_destruction', 'deprecated'] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

export interface GitLabUser {
  id: number;
  username: string;
  name: string;
  state?: string;
  avatar_url?: string | null;
  web_url?: string;
}

export interface GitLabPipeline {
  id: number;
  iid?: number;
  project_id: number;
  sha: string;
  ref: string | null;
  status: string;
  source?: string;
  created_at: string;
  updated_at: string;
  web_url: string;
  user?: GitLabUser | null;
}

export interface GitLabPackageTag {
  id?: number;
  package_id?: number;
  name: string;
  created_at?: string;
  updated_at?: string;
}

export interface GitLabPackageLinks {
  /** Relative UI path, e.g. `/group/project/-/packages/123`. Absent unless status is default/deprecated. */
  web_path?: string;
  /** Absolute URL of the DELETE endpoint. Present only when the caller may delete the package. */
  delete_api_path?: string;
}

export interface GitLabPackageVersion {
  id: number;
  version: string;
  created_at: string;
  tags: GitLabPackageTag[];
  pipeline?: GitLabPipeline;
}

export interface GitLabPackage {
  id: number;
  name: string;
  /** Conan packages only: the bare name (`name` holds the full recipe). */
  conan_package_name?: string;
  /** Null for versionless packages (listed only with `include_versionless`). */
  version: string | null;
  package_type: PackageType | string;
  status: PackageStatus | string;
  _links: GitLabPackageLinks;
  created_at: string;
  last_downloaded_at?: string | null;
  creator_id?: number | null;
  /** Group listing only. */
  project_id?: number;
  /** Group listing only, and only when the caller can read the project. */
  project_path?: string;
  tags: GitLabPackageTag[];
  pipeline?: GitLabPipeline;
  pipelines?: GitLabPipeline[];
  /** Single-package GET only. */
  versions?: GitLabPackageVersion[];
}

export interface GitLabPackageFile {
  id: number;
  package_id: number;
  created_at: string;
  file_name: string;
  size: number;
  file_md5?: string | null;
  file_sha1?: string | null;
  file_sha256?: string | null;
  pipelines?: GitLabPipeline[];
}

export type OrderBy = 'created_at' | 'name' | 'version' | 'type' | 'project_path';
export type SortDirection = 'asc' | 'desc';

/** Every filter GitLab's list endpoints accept (E1/E8). */
export interface PackageQuery {
  orderBy?: OrderBy;
  sort?: SortDirection;
  packageType?: PackageType;
  /** Case-insensitive "contains" match. */
  packageName?: string;
  /** Exact version match. */
  packageVersion?: string;
  includeVersionless?: boolean;
  status?: PackageStatus;
  /** Group listing only. */
  excludeSubgroups?: boolean;
}

export interface PackageScope {
  kind: 'project' | 'group';
  /** Numeric id, or a full path such as `group/sub/project` (the client URL-encodes it). */
  id: number | string;
}
