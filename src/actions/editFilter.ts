import * as vscode from 'vscode';
import type { QuickPickItem } from 'vscode';
import { PACKAGE_STATUSES, PACKAGE_TYPES, type OrderBy, type PackageStatus, type PackageType, type SortDirection } from '../gitlab/types';
import { describeFilter, isEmptyFilter, type PackageFilter } from '../packages/filters';
import { packageTypeLabel, statusLabel } from '../packages/format';
import type { Services } from '../services/services';

type Field = 'packageType' | 'name' | 'version' | 'status' | 'sort' | 'image' | 'tag' | 'clear' | 'apply';
interface FieldItem extends QuickPickItem {
  field: Field;
}

// A function: l10n.t must run after activation, not at module load.
function sorts(): Array<{ label: string; orderBy: OrderBy; sort: SortDirection }> {
  return [
    { label: vscode.l10n.t('Newest first'), orderBy: 'created_at', sort: 'desc' },
    { label: vscode.l10n.t('Oldest first'), orderBy: 'created_at', sort: 'asc' },
    { label: vscode.l10n.t('Name A→Z'), orderBy: 'name', sort: 'asc' },
    { label: vscode.l10n.t('Name Z→A'), orderBy: 'name', sort: 'desc' },
    { label: vscode.l10n.t('Version (text order, descending)'), orderBy: 'version', sort: 'desc' },
    { label: vscode.l10n.t('Version (text order, ascending)'), orderBy: 'version', sort: 'asc' },
    { label: vscode.l10n.t('Package type'), orderBy: 'type', sort: 'asc' },
  ];
}

/**
 * A small menu to edit a filter: each field opens its own picker, "Apply" saves, Escape
 * discards the changes. The filter is sent to GitLab as query parameters.
 */
export async function editFilter(s: Services, initial: PackageFilter, title: string, allowProjectSort: boolean): Promise<PackageFilter | undefined> {
  let draft: PackageFilter = { ...initial };
  for (;;) {
    const sortLabel =
      sorts().find((o) => o.orderBy === draft.orderBy && o.sort === (draft.sort ?? 'asc'))?.label ??
      (draft.orderBy === 'project_path' ? vscode.l10n.t('Project path') : vscode.l10n.t('GitLab default'));
    const any = vscode.l10n.t({ message: 'any', comment: ['filter field not set: any value'] });
    const items: FieldItem[] = [
      { field: 'apply', label: `$(check) ${vscode.l10n.t('Apply')}`, description: describeFilter(draft) || vscode.l10n.t('no filter') },
      { field: 'packageType', label: vscode.l10n.t('Package type'), description: draft.packageType ? packageTypeLabel(draft.packageType) : any },
      { field: 'name', label: vscode.l10n.t('Name contains'), description: draft.name ?? vscode.l10n.t('anything') },
      { field: 'version', label: vscode.l10n.t('Version is'), description: draft.version ?? any },
      { field: 'status', label: vscode.l10n.t('Status'), description: draft.status ? statusLabel(draft.status) : vscode.l10n.t('default, error and deprecated') },
      { field: 'sort', label: vscode.l10n.t('Sort order'), description: sortLabel },
      { field: 'image', label: vscode.l10n.t('Container image contains'), description: draft.image ?? vscode.l10n.t('anything') },
      { field: 'tag', label: vscode.l10n.t('Image tag contains'), description: draft.tag ?? vscode.l10n.t('anything') },
    ];
    if (!isEmptyFilter(draft)) items.push({ field: 'clear', label: `$(clear-all) ${vscode.l10n.t('Clear all')}` });
    const picked = await s.prompts.pick(items, { title, placeHolder: vscode.l10n.t('Choose what to filter on, then Apply') });
    if (!picked) return undefined;
    switch (picked.field) {
      case 'apply':
        return draft;
      case 'clear':
        draft = {};
        break;
      case 'packageType': {
        const choice = await s.prompts.pick(
          [{ label: vscode.l10n.t('Any type'), value: undefined as PackageType | undefined }, ...PACKAGE_TYPES.map((t) => ({ label: packageTypeLabel(t), description: t, value: t as PackageType | undefined }))],
          { title: vscode.l10n.t('Package type'), placeHolder: vscode.l10n.t('Only packages of this type') },
        );
        if (choice) draft = { ...draft, packageType: choice.value };
        break;
      }
      case 'name': {
        const value = await s.prompts.input({ title: vscode.l10n.t('Name contains'), prompt: vscode.l10n.t('Case-insensitive; leave empty for any name'), value: draft.name ?? '' });
        if (value !== undefined) draft = { ...draft, name: value.trim() || undefined };
        break;
      }
      case 'image':
      case 'tag': {
        const image = picked.field === 'image';
        const value = await s.prompts.input({
          title: image ? vscode.l10n.t('Container image contains') : vscode.l10n.t('Image tag contains'),
          prompt: image ? vscode.l10n.t('Case-insensitive, on the image path; leave empty for any image') : vscode.l10n.t('Case-insensitive, on the tag name; leave empty for any tag'),
          value: draft[picked.field] ?? '',
        });
        if (value !== undefined) draft = { ...draft, [picked.field]: value.trim() || undefined };
        break;
      }
      case 'version': {
        const value = await s.prompts.input({ title: vscode.l10n.t('Version'), prompt: vscode.l10n.t('Exact version, e.g. 1.2.3; leave empty for any'), value: draft.version ?? '' });
        if (value !== undefined) draft = { ...draft, version: value.trim() || undefined };
        break;
      }
      case 'status': {
        const choice = await s.prompts.pick(
          [{ label: vscode.l10n.t('Default, error and deprecated (GitLab default)'), value: undefined as PackageStatus | undefined }, ...PACKAGE_STATUSES.map((st) => ({ label: statusLabel(st), description: st, value: st as PackageStatus | undefined }))],
          { title: vscode.l10n.t('Status'), placeHolder: vscode.l10n.t('Only packages in this status') },
        );
        if (choice) draft = { ...draft, status: choice.value };
        break;
      }
      case 'sort': {
        const options = allowProjectSort ? [...sorts(), { label: vscode.l10n.t('Project path'), orderBy: 'project_path' as OrderBy, sort: 'asc' as SortDirection }] : sorts();
        const choice = await s.prompts.pick(options, { title: vscode.l10n.t('Sort order') });
        if (choice) draft = { ...draft, orderBy: choice.orderBy, sort: choice.sort };
        break;
      }
    }
  }
}
