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

/** `GET /projects/:id` (the fields this extension reads; GitLab sends many more). */
export interface GitLabProject {
  id: number;
  name: string;
  path: string;
  path_with_namespace: string;
  name_with_namespace?: string;
  web_url: string;
  visibility?: 'public' | 'internal' | 'private' | string;
  description?: string | null;
  default_branch?: string | null;
  avatar_url?: string | null;
  namespace?: { id: number; name: string; path: string; kind: string; full_path: string; web_url?: string };
  /** Newer servers: `enabled`, `private`, `disabled`. */
  package_registry_access_level?: string;
  /** Older servers. */
  packages_enabled?: boolean;
  archived?: boolean;
}

/** `GET /groups/:id` (asked for without its project list). */
export interface GitLabGroup {
  id: number;
  name: string;
  path: string;
  full_path: string;
  full_name?: string;
  web_url: string;
  visibility?: 'public' | 'internal' | 'private' | string;
  description?: string | null;
  parent_id?: number | null;
  avatar_url?: string | null;
}

/** `GET /user`: the token's owner. */
export interface GitLabCurrentUser extends GitLabUser {
  email?: string;
  is_admin?: boolean;
  bot?: boolean;
}
