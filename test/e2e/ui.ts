// A small page-object layer over the VS Code workbench as code-server renders it. Everything
// waits on selectors (never on sleeps); selectors follow the workbench's own classes and ARIA
// roles, which VS Code keeps stable because its own smoke tests use them.
import type { Frame, Locator, Page } from 'playwright-core';
import { waitFor } from '../support/wait';

export const VIEW_CONTAINER = 'workbench.view.extension.gitlabPackages';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches a whole text exactly (Playwright's `hasText` strings match substrings). */
export function exactly(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}$`);
}

/** Polls `probe` every 100 ms until it returns a value (not undefined/false) or the time is up. */
export function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  return waitFor(what, probe, timeoutMs, 100);
}

export class WorkbenchUi {
  /** `containerTitle`: the view container's title in the display language (package.nls*.json). */
  constructor(
    readonly page: Page,
    readonly containerTitle = 'GitLab Packages',
  ) {}

  /** The workbench has rendered and the extension's view container is in the activity bar. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await this.activityTab().waitFor({ timeout: timeoutMs });
  }

  activityTab(): Locator {
    return this.page.locator(`.activitybar .action-label[aria-label="${this.containerTitle}"]`);
  }

  /** The side bar view container of the extension. */
  view(): Locator {
    return this.page.locator(`[id="${VIEW_CONTAINER}"]`);
  }

  tree(): Locator {
    return this.view().locator('.monaco-list[role="tree"]');
  }

  async openView(): Promise<void> {
    if (!(await this.tree().isVisible())) await this.activityTab().click();
    await this.tree().waitFor();
  }

  /** All tree rows, or those at one depth (1 = roots). */
  rows(level?: number): Locator {
    const rows = this.tree().locator('.monaco-list-row[role="treeitem"]');
    return level === undefined ? rows : rows.and(this.page.locator(`[aria-level="${level}"]`));
  }

  /** The row whose label is exactly `label` (labels are text, so this also proves no markup ran). */
  row(label: string, level?: number): Locator {
    return this.rows(level).filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) });
  }

  /**
   * Resolves once the tree's DOM has not changed for `quietMs`. A row's own click command is
   * registered per render, so a row clicked just before a refresh re-renders it runs nothing
   * ("command not found"); waiting for the tree to settle first is what a person does anyway.
   */
  async waitForTreeQuiet(quietMs = 250, timeoutMs = 10_000): Promise<void> {
    await this.tree().evaluate(
      (tree, [quiet, timeout]) =>
        new Promise<void>((resolve, reject) => {
          let timer = setTimeout(done, quiet);
          const deadline = setTimeout(() => {
            observer.disconnect();
            clearTimeout(timer);
            reject(new Error(`the tree kept changing for ${timeout} ms`));
          }, timeout);
          const observer = new MutationObserver(() => {
            clearTimeout(timer);
            timer = setTimeout(done, quiet);
          });
          function done(): void {
            observer.disconnect();
            clearTimeout(deadline);
            resolve();
          }
          observer.observe(tree, { childList: true, subtree: true, attributes: true, characterData: true });
        }),
      [quietMs, timeoutMs] as const,
    );
  }

  /** Rows that are not the "Loading…" message. */
  loadedRows(level: number): Locator {
    return this.rows(level).filter({ hasNot: this.page.locator('.codicon-loading') });
  }

  /** Expands a root and waits until its description says how many packages and versions it has (loading ended). */
  async expandRoot(label: string): Promise<Locator> {
    const row = this.row(label, 1);
    await this.expand(row);
    await this.expandPackages();
    await until(`${label} to finish loading`, async () => {
      // Counts last, or followed only by the storage size; never while still loading.
      const description = await this.description(row);
      return !description.includes('loading…') && /\b\d[\d,]* packages? · \d[\d,]* versions?(?: · .+)?$/.test(description);
    });
    return row;
  }

  /**
   * Clicks a root's twistie once (no retry) and records its `aria-expanded` states, sampled
   * on every animation frame, until the root has finished loading and then stayed quiet for
   * `settleMs`. A root that expanded and later reads "false" collapsed by itself.
   */
  async expandOnceAndWatch(label: string, settleMs = 1_000, timeoutMs = 12_000): Promise<string[]> {
    const row = this.row(label, 1);
    await row.locator('.monaco-tl-twistie').click();
    return await this.view().evaluate(
      (view, [name, settle, timeout]) =>
        new Promise<string[]>((resolve) => {
          const states: string[] = [];
          const started = performance.now();
          let loadedAt: number | undefined;
          const sample = (): void => {
            const found = Array.from(view.querySelectorAll('.monaco-list-row[role="treeitem"][aria-level="1"]')).find(
              (r) => r.querySelector('.label-name')?.textContent === name,
            );
            const state = found?.getAttribute('aria-expanded') ?? 'missing';
            if (states[states.length - 1] !== state) states.push(state);
            const description = found?.querySelector('.label-description')?.textContent ?? '';
            const loaded = state === 'true' && /\d packages?\b/.test(description) && !/loading/i.test(description);
            if (!loaded) loadedAt = undefined;
            else loadedAt ??= performance.now();
            const now = performance.now();
            if ((loadedAt !== undefined && now - loadedAt >= settle) || now - started >= timeout) resolve(states);
            else requestAnimationFrame(sample);
          };
          sample();
        }),
      [label, settleMs, timeoutMs] as const,
    );
  }

  /** Row labels at one depth, in order. */
  async labels(level?: number): Promise<string[]> {
    return await this.rows(level).locator('.label-name').allTextContents();
  }

  async description(row: Locator): Promise<string> {
    const description = row.locator('.label-description');
    // The workbench leaves the element out when a row has no description.
    return (await description.count()) === 0 ? '' : ((await description.first().textContent()) ?? '').trim();
  }

  /**
   * Opens every visible "Packages" branch (level 2): it opens by itself the first time, but the
   * view remembers a collapse (Collapse All), so tests that want packages open it explicitly.
   */
  async expandPackages(label = 'Packages'): Promise<void> {
    const branches = this.row(label, 2);
    await branches.first().waitFor();
    for (const branch of await branches.all()) await this.expand(branch);
  }

  async expand(row: Locator): Promise<void> {
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) === 'true') return;
    await this.clickUntil(row.locator('.monaco-tl-twistie'), 'the row to expand', async () => (await row.getAttribute('aria-expanded')) === 'true');
  }

  async collapse(row: Locator): Promise<void> {
    if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
    await until('the row to collapse', async () => (await row.getAttribute('aria-expanded')) === 'false');
  }

  /** Clicks the view title's "Collapse All". */
  async collapseAll(): Promise<void> {
    const expanded = this.rows(1).and(this.page.locator('[aria-expanded="true"]'));
    // The action is disabled when nothing is expanded.
    if ((await expanded.count()) === 0) return;
    await this.viewAction('Collapse All');
    await until('every root to collapse', async () => (await expanded.count()) === 0);
  }

  /**
   * Clicks an action of the view's title bar. With a single view in the container, VS Code
   * merges the view's header into the side bar's title, so the actions live there.
   */
  async viewAction(label: string): Promise<void> {
    const title = this.page.locator('.part.sidebar .composite.title');
    await title.hover();
    await title.locator(`.action-label[aria-label="${label}"]`).click();
  }

  /** Right-clicks a row and picks an entry of its context menu. */
  async contextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    const menu = this.page.locator('.monaco-menu');
    const entry = menu.locator('a.action-menu-item').filter({ has: this.page.locator('.action-label', { hasText: exactly(item) }) });
    // VS Code ignores a release over an entry the pointer never moved onto (it guards
    // against the right-click's own release), so point at the entry first, as a hand would.
    await entry.hover();
    await entry.click();
    try {
      await menu.waitFor({ state: 'detached', timeout: 3_000 });
    } catch {
      // The release was still lost (the menu was settling under the pointer). A clicked entry
      // closes the menu at once, so nothing ran: the hovered entry has the keyboard focus.
      await entry.hover();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'detached' });
    }
  }

  /**
   * Clicks until `done` holds: a click that lands while the list re-renders its rows can be
   * lost with the old element. Clicks again only after the first had ample time to act.
   */
  async clickUntil(target: Locator, what: string, done: () => Promise<boolean>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await target.click();
      try {
        await until(what, async () => await done(), 3_000);
        return;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  quickInputBox(): Locator {
    return this.quickInput().locator('.quick-input-box input');
  }

  /** Runs a command through the command palette by its full title (`Category: Title`). */
  async runCommand(title: string): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.quickInputBox();
    await input.waitFor();
    await input.fill(`>${title}`);
    const item = this.quickItem(title);
    await item.waitFor();
    await item.click();
  }

  /** A quick pick entry whose label is exactly `label`. */
  quickItem(label: string): Locator {
    return this.quickInput()
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) });
  }

  async closeQuickInput(): Promise<void> {
    if (await this.quickInput().isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput().waitFor({ state: 'hidden' });
    }
  }

  /** Types into the quick input box (a password box when `password`) and accepts. */
  async answerInput(text: string, expect: { password?: boolean; title?: RegExp } = {}): Promise<void> {
    const input = this.quickInputBox();
    await input.waitFor();
    if (expect.password) await this.quickInput().locator('.quick-input-box input[type="password"]').waitFor();
    if (expect.title) await this.quickInput().locator('.quick-input-title', { hasText: expect.title }).waitFor();
    await input.fill(text);
    await input.press('Enter');
  }

  /** A notification toast containing `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }

  async clearNotifications(): Promise<void> {
    const toasts = this.page.locator('.notifications-toasts .notification-toast');
    if ((await toasts.count()) === 0) return;
    await this.runCommand('Notifications: Clear All Notifications');
    await toasts.first().waitFor({ state: 'detached' });
  }

  /** The modal dialog VS Code shows for `showWarningMessage(..., { modal: true })`. */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  dialogButton(label: string): Locator {
    return this.dialog().locator('.dialog-buttons .monaco-button', { hasText: exactly(label) });
  }

  statusBar(): Locator {
    return this.page.locator('.statusbar');
  }

  editorTab(title: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab').filter({ hasText: title });
  }

  /**
   * The document of a webview whose content matches `selector` (and `text`, when given).
   * Webviews are nested iframes: the outer `iframe.webview` hosts VS Code's bootstrap page,
   * and the extension's HTML lives in its inner `active-frame`.
   */
  async webviewFrame(selector: string, text?: string | RegExp, timeoutMs = 20_000): Promise<Frame> {
    return await until(
      `a webview showing ${selector}${text ? ` with ${String(text)}` : ''}`,
      async () => {
        for (const frame of this.page.frames()) {
          // The inner frame's name stays "pending-frame" after VS Code promotes it to active-frame.
          if (!/\/webview\/browser\/pre\/index\.html/.test(frame.parentFrame()?.url() ?? '')) continue;
          const match = text === undefined ? frame.locator(selector) : frame.locator(selector).filter({ hasText: text });
          if ((await match.count()) > 0) return frame;
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  /** Switches the colour theme through "Preferences: Color Theme" (`label` as the picker lists it). */
  async setColorTheme(label: string, kind: 'vs' | 'vs-dark'): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    const input = this.quickInputBox();
    await input.fill(label);
    await this.quickItem(label).waitFor();
    await input.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden' });
    await this.page.locator(`.monaco-workbench.${kind}`).waitFor();
  }

  /** Drags the sash between the side bar and the editor so the side bar is `width` pixels wide. */
  async resizeSidebar(width: number): Promise<void> {
    const sidebar = this.page.locator('.part.sidebar');
    const box = await sidebar.boundingBox();
    if (!box) throw new Error('the side bar is not visible');
    if (Math.abs(box.width - width) < 4) return;
    // The sash straddles the side bar's right edge.
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 8 });
    await this.page.mouse.up();
    await until('the side bar to take its new width', async () => Math.abs(((await sidebar.boundingBox())?.width ?? 0) - width) < 6);
  }

  /** The side bar from its top down to just below its last tree row (the empty rest says nothing in a picture). */
  async sidebarDownToLastRow(): Promise<{ x: number; y: number; width: number; height: number }> {
    const bar = await this.page.locator('.part.sidebar').boundingBox();
    const rows = await this.rows().evaluateAll((els) => els.map((e) => e.getBoundingClientRect().bottom));
    if (!bar || rows.length === 0) throw new Error('no side bar or no tree rows to take a picture of');
    const bottom = Math.min(bar.y + bar.height, Math.max(...rows) + 12);
    return { x: bar.x, y: bar.y, width: bar.width, height: bottom - bar.y };
  }

  /** Parks the pointer where nothing reacts to it and waits until every hover card is gone. */
  async parkPointer(): Promise<void> {
    await this.page.mouse.move(24, 560);
    const hovers = this.page.locator('.monaco-hover, .workbench-hover-container').filter({ visible: true });
    await until('hover cards to close', async () => (await hovers.count()) === 0);
  }

  /** Reads the system clipboard of the browser (the context has clipboard permissions). */
  async clipboard(): Promise<string> {
    return await this.page.evaluate(() => navigator.clipboard.readText());
  }
}
