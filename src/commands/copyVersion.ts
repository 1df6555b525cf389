import type { Command } from './command';
import { copyText } from './external';
import { pickVersion } from './pickPackage';

/** Copies a package version's version string. */
export const copyVersion: Command = {
  id: 'gitlabPackages.copyVersion',
  async run(s, node) {
    const version = await pickVersion(s, node, { placeHolder: 'Copy which version?', versionFilter: (p) => !!p.version });
    if (!version) return undefined;
    if (!version.pkg.version) {
      void s.prompts.info('This package has no version to copy.');
      return undefined;
    }
    await copyText(s, version.pkg.version, 'version');
    return version.pkg.version;
  },
};
