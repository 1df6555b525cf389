/**
 * Response shapes of GitLab's container registry REST API, keeping GitLab's own field names
 * (see shared/gitlab-api/REGISTRY.md §5 and §8.2).
 */

/** `status` of a repository (model enum); `null` for a repository that is not being deleted. */
export const REGISTRY_REPOSITORY_STATUSES = ['delete_scheduled', 'delete_ongoing', 'delete_failed'] as const;
export type GitLabRegistryRepositoryStatus = (typeof REGISTRY_REPOSITORY_STATUSES)[number];

/** R5 items and `tags[]` of a repository: nothing but the name and the references. */
export interface GitLabRegistryTag {
  name: string;
  /** `<repository path>:<name>`. */
  path: string;
  /** `<repository location>:<name>`: the pullable image reference. */
  location: string;
}

/** R1 / R2 / R3 items (REGISTRY.md §5.1). */
export interface GitLabRegistryRepository {
  id: number;
  /** Image name below the project path; `""` for the project's root image. */
  name: string;
  /** `<project full path>/<name>` (or the project path for the root image), lowercased. */
  path: string;
  project_id: number;
  /** `<registry host[:port]>/<path>`. */
  location: string;
  created_at: string;
  cleanup_policy_started_at?: string | null;
  /** Only with `tags_count=true` (R1 on projects, R3). Capped at 10,000 by GitLab. */
  tags_count?: number;
  tags?: GitLabRegistryTag[];
  /** R3 only, and only when the caller may delete the repository (Maintainer+). */
  delete_api_path?: string;
  /** R3 with `size=true`: deduplicated bytes; null without the registry's GitLab API. */
  size?: number | null;
  /** Absent on older servers; null when the repository is not being deleted. */
  status?: GitLabRegistryRepositoryStatus | string | null;
}

/** R6 (REGISTRY.md §5.3). Every extra field is null on legacy registries or images without a config. */
export interface GitLabRegistryTagDetails extends GitLabRegistryTag {
  /** Hex digest of the image config (not of the manifest). */
  revision: string | null;
  /** First 9 characters of `revision`. */
  short_revision: string | null;
  /** Manifest digest `sha256:…`: the one for `<location>@<digest>`. */
  digest: string | null;
  /** Push time on registries with the GitLab API; the image's build time on legacy registries. */
  created_at: string | null;
  total_size: number | null;
}

/** R10 items (REGISTRY.md §8.2). `tag_name_pattern` is an unanchored RE2 regular expression. */
export interface GitLabTagProtectionRule {
  id: number;
  project_id: number;
  tag_name_pattern: string;
  /** `maintainer`, `owner`, `admin` or null. */
  minimum_access_level_for_push: string | null;
  minimum_access_level_for_delete: string | null;
}

/** R8 parameters, in this module's camelCase; sent as GitLab's `name_regex_delete` etc. */
export interface RegistryCleanupRule {
  /** RE2; GitLab anchors it as `\A` + regex + `\z` (no group). */
  nameRegexDelete: string;
  /** RE2, anchored the same way; wins over `nameRegexDelete`. */
  nameRegexKeep?: string;
  /** Keep this many of the newest matching tags. */
  keepN?: number;
  /** A ChronicDuration such as `1h`, `7d`, `1month` (not validated by GitLab before its worker runs). */
  olderThan?: string;
}

/** One outcome of {@link GitLabClient.getRegistryTagsDetails}: the details, or why they are missing. */
export type RegistryTagDetailsResult =
  | { name: string; details: GitLabRegistryTagDetails; error?: undefined }
  | { name: string; details?: undefined; error: unknown };
