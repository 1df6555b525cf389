import type * as vscode from 'vscode';
import type { Services } from '../services/services';
import { registerCommand, type Command } from './command';
import { addGroup } from './addGroup';
import { addProject } from './addProject';
import { clearFilter } from './clearFilter';
import { filter } from './filter';
import { filterRoot } from './filterRoot';
import { refresh } from './refresh';
import { refreshRoot } from './refreshRoot';
import { removeRoot } from './removeRoot';
import { retry } from './retry';
import { setToken } from './setToken';
import { showLog } from './showLog';
import { signOut } from './signOut';
import { clearCache } from './clearCache';
import { showMore } from './showMore';
import { openInBrowser } from './openInBrowser';
import { copyLink } from './copyLink';
import { showDetails } from './showDetails';
import { deletePackage } from './deletePackage';
import { deleteFile } from './deleteFile';
import { deleteOlderVersions } from './deleteOlderVersions';
import { downloadFile } from './downloadFile';
import { copyName } from './copyName';
import { copyVersion } from './copyVersion';
import { copyNameAtVersion } from './copyNameAtVersion';
import { copyInstallSnippet } from './copyInstallSnippet';
import { publishGeneric } from './publishGeneric';
import { cleanupPackages } from './cleanupPackages';
import { protectionRules } from './protectionRules';
import { showStorage } from './showStorage';
import { copyImageReference } from './copyImageReference';
import { copyImageDigest } from './copyImageDigest';
import { copyDockerPull } from './copyDockerPull';
import { openImageInBrowser } from './openImageInBrowser';
import { showTagDetails } from './showTagDetails';
import { deleteImageTag } from './deleteImageTag';
import { deleteImageRepository } from './deleteImageRepository';
import { cleanUpImageTags } from './cleanUpImageTags';
import { showMoreTags } from './showMoreTags';

/** Every command of the extension; package.json declares exactly these (a host test checks). */
export const COMMANDS: readonly Command[] = [
  refresh,
  refreshRoot,
  retry,
  setToken,
  signOut,
  addProject,
  addGroup,
  removeRoot,
  filter,
  filterRoot,
  clearFilter,
  showLog,
  clearCache,
  showMore,
  openInBrowser,
  copyLink,
  showDetails,
  deletePackage,
  deleteFile,
  deleteOlderVersions,
  downloadFile,
  copyName,
  copyVersion,
  copyNameAtVersion,
  copyInstallSnippet,
  publishGeneric,
  cleanupPackages,
  protectionRules,
  showStorage,
  copyImageReference,
  copyImageDigest,
  copyDockerPull,
  openImageInBrowser,
  showTagDetails,
  deleteImageTag,
  deleteImageRepository,
  cleanUpImageTags,
  showMoreTags,
];

export function registerCommands(s: Services): vscode.Disposable[] {
  return COMMANDS.map((c) => registerCommand(s, c));
}
