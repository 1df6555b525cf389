/**
 * Records held by the fake GitLab's store. Field names are camelCase here; the server
 * serializes them to GitLab's snake_case JSON (see ../../shared/gitlab-api/REFERENCE.md §4).
 */

/** `package_type` enum with GitLab's integer codes (`order_by=type` sorts on the code). */
export const PACKAGE_TYPE_CODES = {
  maven: 1,
  npm: 2,
  conan: 3,
  nuget: 4,
  pypi: 5,
  composer: 6,
  generic: 7,
  golang: 8,
  debian: 9,
  rubygems: 10,
  helm: 11,
  terraform_module: 12,
  rpm: 13,
  ml_model: 14,
} as const;
export type FakePackageType = keyof typeof PACKAGE_TYPE_CODES;
export const FAKE_PACKAGE_TYPES = Object.keys(PACKAGE_TYPE_CODES) as FakePackageType[];

export const PACKAGE_STATUS_CODES = {
  default: 0,
  hidden: 1,
  processing: 2,
  error: 3,
  pending_destruction: 4,
  deprecated: 5,
} as const;
export type FakePackageStatus = keyof typeof PACKAGE_STATUS_CODES;
export const FAKE_PACKAGE_STATUSES = Object.keys(PACKAGE_STATUS_CODES) as FakePackageStatus[];

/** Statuses GitLab lists by default and finds in single-package lookups. */
export const DISPLAYABLE_STATUSES: ReadonlySet<FakePackageStatus> = new Set(['default', 'error', 'deprecated']);
/** Statuses with "detailed info": E2/E3 succeed and `_links.web_path` is sent. */
export const DETAILED_STATUSES: ReadonlySet<FakePackageStatus> = new Set(['default', 'deprecated']);
/** Statuses package-manager downloads (e.g. generic) accept. */
export const INSTALLABLE_STATUSES: ReadonlySet<FakePackageStatus> = new Set(['default', 'hidden', 'deprecated']);

export type FakeFileStatus = 'default' | 'pending_destruction' | 'processing' | 'error';
export type Visibility = 'public' | 'internal' | 'private';
export type HashKind = 'md5' | 'sha1' | 'sha256';

export const ACCESS_LEVEL = {
  guest: 10,
  planner: 15,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

export interface FakeUser {
  id: number;
  username: string;
  name: string;
  state: 'active' | 'blocked';
  createdAt: string;
}

export type TokenScope = 'api' | 'read_api' | 'read_user';

export interface FakeToken {
  token: string;
  name: string;
  userId: number;
  scopes: TokenScope[];
  state: 'active' | 'expired' | 'revoked';
}

export interface FakeGroup {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  parentId: number | null;
  visibility: Visibility;
  description: string;
  createdAt: string;
}

export interface FakeProject {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  groupId: number;
  visibility: Visibility;
  description: string;
  defaultBranch: string;
  createdAt: string;
}

export interface FakeMember {
  userId: number;
  source: 'group' | 'project';
  sourceId: number;
  accessLevel: number;
}

export interface FakePipeline {
  id: number;
  iid: number;
  projectId: number;
  sha: string;
  ref: string | null;
  status: string;
  source: string;
  createdAt: string;
  updatedAt: string;
  userId: number | null;
}

/** A `Packages::BuildInfo` row: links a package to the pipeline that (re)built it. */
export interface FakeBuildInfo {
  id: number;
  pipelineId: number | null;
}

export interface FakeTag {
  id: number;
  packageId: number;
  projectId: number;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakePackageFile {
  id: number;
  packageId: number;
  /** Generic files uploaded under a sub-path keep it URL-encoded (`dir%2Ffile`), like GitLab. */
  fileName: string;
  size: number;
  status: FakeFileStatus;
  createdAt: string;
  updatedAt: string;
  /** Which checksums this format computes; the others are sent as null. */
  hashKinds: HashKind[];
  pipelineIds: number[];
}

export interface FakePackage {
  id: number;
  projectId: number;
  /** For conan this is the full recipe `name/version@user/channel`. */
  name: string;
  conanPackageName?: string;
  version: string | null;
  packageType: FakePackageType;
  status: FakePackageStatus;
  createdAt: string;
  updatedAt: string;
  lastDownloadedAt: string | null;
  creatorId: number | null;
  tags: FakeTag[];
  /** In creation order; the last one is the package's `pipeline`. */
  buildInfos: FakeBuildInfo[];
  fileIds: number[];
}
