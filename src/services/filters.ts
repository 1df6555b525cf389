import * as vscode from 'vscode';
import type { PackageQuery } from '../gitlab/types';
import { describeFilter, filterToQuery, isEmptyFilter, mergeFilters, parseFilter, type PackageFilter } from '../packages/filters';

const STATE_KEY = 'gitlabPackages.filters';

interface Stored {
  view: PackageFilter;
  roots: Record<string, PackageFilter>;
}

/**
 * The view-wide filter and per-root filters, kept per workspace. They are sent to GitLab
 * as query parameters; nothing is filtered after download.
 */
export class FilterStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with a root key when one root's filter changed, or undefined for the view. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly includeVersionless: () => boolean,
  ) {
    void this.updateContext();
  }

  private stored(): Stored {
    // Stored state is read back untrusted: parseFilter drops anything invalid.
    const s = this.state.get<{ view?: unknown; roots?: Record<string, unknown> }>(STATE_KEY);
    const roots: Record<string, PackageFilter> = {};
    for (const [key, value] of Object.entries(s?.roots ?? {})) roots[key] = parseFilter(value);
    return { view: parseFilter(s?.view), roots };
  }

  viewFilter(): PackageFilter {
    return this.stored().view;
  }

  rootFilter(rootKey: string): PackageFilter {
    return this.stored().roots[rootKey] ?? {};
  }

  /** The filter in force for a root: the root's own settings win over the view's. */
  effective(rootKey: string): PackageFilter {
    const s = this.stored();
    return mergeFilters(s.view, s.roots[rootKey] ?? {});
  }

  query(rootKey: string, scope: 'project' | 'group'): PackageQuery {
    const query = filterToQuery(this.effective(rootKey), { scope });
    if (this.includeVersionless() && !query.packageVersion) query.includeVersionless = true;
    return query;
  }

  describe(rootKey: string): string {
    return describeFilter(this.effective(rootKey));
  }

  describeView(): string {
    return describeFilter(this.viewFilter());
  }

  async setView(filter: PackageFilter): Promise<void> {
    const s = this.stored();
    await this.state.update(STATE_KEY, { ...s, view: filter });
    await this.updateContext();
    this.changed.fire(undefined);
  }

  async setRoot(rootKey: string, filter: PackageFilter): Promise<void> {
    const s = this.stored();
    const roots = { ...s.roots };
    if (isEmptyFilter(filter)) delete roots[rootKey];
    else roots[rootKey] = filter;
    await this.state.update(STATE_KEY, { ...s, roots });
    this.changed.fire(rootKey);
  }

  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'gitlabPackages.viewFiltered', !isEmptyFilter(this.viewFilter()));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
