import type { QuickPickItem } from 'vscode';
import { PACKAGE_STATUSES, PACKAGE_TYPES, type OrderBy, type PackageStatus, type PackageType, type SortDirection } from '../gitlab/types';
import { describeFilter, isEmptyFilter, type PackageFilter } from '../packages/filters';
import { packageTypeLabel, statusLabel } from '../packages/format';
import type { Services } from '../services/services';

type Field = 'packageType' | 'name' | 'version' | 'status' | 'sort' | 'clear' | 'apply';
interface FieldItem extends QuickPickItem {
  field: Field;
}

const SORTS: Array<{ label: string; orderBy: OrderBy; sort: SortDirection }> = [
  { label: 'Newest first', orderBy: 'created_at', sort: 'desc' },
  { label: 'Oldest first', orderBy: 'created_at', sort: 'asc' },
  { label: 'Name A→Z', orderBy: 'name', sort: 'asc' },
  { label: 'Name Z→A', orderBy: 'name', sort: 'desc' },
  { label: 'Version (text order, descending)', orderBy: 'version', sort: 'desc' },
  { label: 'Version (text order, ascending)', orderBy: 'version', sort: 'asc' },
  { label: 'Package type', orderBy: 'type', sort: 'asc' },
];

/**
 * A small menu to edit a filter: each field opens its own picker, "Apply" saves, Escape
 * discards the changes. The filter is sent to GitLab as query parameters.
 */
export async function editFilter(s: Services, initial: PackageFilter, title: string, allowProjectSort: boolean): Promise<PackageFilter | undefined> {
  let draft: PackageFilter = { ...initial };
  for (;;) {
    const sortLabel = SORTS.find((o) => o.orderBy === draft.orderBy && o.sort === (draft.sort ?? 'asc'))?.label ?? (draft.orderBy === 'project_path' ? 'Project path' : 'GitLab default');
    const items: FieldItem[] = [
      { field: 'apply', label: '$(check) Apply', description: describeFilter(draft) || 'no filter' },
      { field: 'packageType', label: 'Package type', description: draft.packageType ? packageTypeLabel(draft.packageType) : 'any' },
      { field: 'name', label: 'Name contains', description: draft.name ?? 'anything' },
      { field: 'version', label: 'Version is', description: draft.version ?? 'any' },
      { field: 'status', label: 'Status', description: draft.status ? statusLabel(draft.status) : 'default, error and deprecated' },
      { field: 'sort', label: 'Sort order', description: sortLabel },
    ];
    if (!isEmptyFilter(draft)) items.push({ field: 'clear', label: '$(clear-all) Clear all' });
    const picked = await s.prompts.pick(items, { title, placeHolder: 'Choose what to filter on, then Apply' });
    if (!picked) return undefined;
    switch (picked.field) {
      case 'apply':
        return draft;
      case 'clear':
        draft = {};
        break;
      case 'packageType': {
        const choice = await s.prompts.pick(
          [{ label: 'Any type', value: undefined as PackageType | undefined }, ...PACKAGE_TYPES.map((t) => ({ label: packageTypeLabel(t), description: t, value: t as PackageType | undefined }))],
          { title: 'Package type', placeHolder: 'Only packages of this type' },
        );
        if (choice) draft = { ...draft, packageType: choice.value };
        break;
      }
      case 'name': {
        const value = await s.prompts.input({ title: 'Name contains', prompt: 'Case-insensitive; leave empty for any name', value: draft.name ?? '' });
        if (value !== undefined) draft = { ...draft, name: value.trim() || undefined };
        break;
      }
      case 'version': {
        const value = await s.prompts.input({ title: 'Version', prompt: 'Exact version, e.g. 1.2.3; leave empty for any', value: draft.version ?? '' });
        if (value !== undefined) draft = { ...draft, version: value.trim() || undefined };
        break;
      }
      case 'status': {
        const choice = await s.prompts.pick(
          [{ label: 'Default, error and deprecated (GitLab default)', value: undefined as PackageStatus | undefined }, ...PACKAGE_STATUSES.map((st) => ({ label: statusLabel(st), description: st, value: st as PackageStatus | undefined }))],
          { title: 'Status', placeHolder: 'Only packages in this status' },
        );
        if (choice) draft = { ...draft, status: choice.value };
        break;
      }
      case 'sort': {
        const options = allowProjectSort ? [...SORTS, { label: 'Project path', orderBy: 'project_path' as OrderBy, sort: 'asc' as SortDirection }] : SORTS;
        const choice = await s.prompts.pick(options, { title: 'Sort order' });
        if (choice) draft = { ...draft, orderBy: choice.orderBy, sort: choice.sort };
        break;
      }
    }
  }
}
