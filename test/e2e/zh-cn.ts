// The 简体中文 suite: the same workbench with VS Code's display language set to zh-cn
// (code-server's --locale plus an empty core language pack, see scripts/code-server.ts). VS
// Code's own UI stays English without a real language pack; everything the extension shows
// comes from package.nls.zh-cn.json and l10n/bundle.l10n.zh-cn.json and must be Chinese.
import * as assert from 'node:assert/strict';
import type { startDemo } from '../../scripts/demo';
import type { E2eTest } from './tests';
import { exactly, until, type WorkbenchUi } from './ui';

/** package.nls.zh-cn.json's view container title: the activity bar tab's name. */
export const ZH_CN_CONTAINER_TITLE = 'GitLab 软件包';

/** A project that does not exist gives the tree an error row to read. */
const MISSING_PROJECT = 'acme/does-not-exist';

export const ZH_CN_DEMO: Parameters<typeof startDemo>[0] = {
  locale: 'zh-cn',
  projects: ['acme/web-app', MISSING_PROJECT],
  groups: [],
};

/** A CJK character anywhere: the text did not fall back to English. */
const HAN = /[\u4e00-\u9fff]/;

async function expandRootZh(ui: WorkbenchUi, label: string): Promise<void> {
  const row = ui.row(label, 1);
  await ui.expand(row);
  await ui.expandPackages('软件包');
  await until(`${label} to finish loading`, async () => /^\d[\d,]* 个软件包 · \d[\d,]* 个版本(?: · .+)?$/.test(await ui.description(row)));
}

export const zhCnTests: E2eTest[] = [
  {
    name: 'zh-cn: tree rows, the error row and dates are in Chinese',
    async run({ ui }) {
      await ui.openView();
      await ui.resizeSidebar(400);
      await until('the three roots', async () => (await ui.labels(1)).length === 3 || undefined);
      assert.match(await ui.description(ui.row('acme/platform/tools/cli', 1)), /Git 远程仓库/);

      await ui.expand(ui.row(MISSING_PROJECT, 1));
      await ui.expandPackages('软件包');
      const error = ui.row('找不到项目，或您的令牌无权查看', 3);
      await error.waitFor();
      assert.equal(await ui.description(error), '点击重试');

      await expandRootZh(ui, 'acme/web-app');
      await ui.expand(ui.row('@acme/ui', 3));
      const version = ui.row('1.2.0', 4);
      await version.waitFor();
      // Relative dates come from Intl.RelativeTimeFormat in VS Code's display language: "3天前".
      assert.match(await ui.description(version), /(前|后|刚刚)/);
      await ui.expand(version);
      await ui.row('acme-ui-1.2.0.tgz', 5).waitFor();
    },
  },
  {
    name: 'zh-cn: the details view speaks Chinese (screenshot workbench-zh-cn)',
    async run({ ui, page, screenshot }) {
      await ui.openView();
      const version = ui.row('1.2.0', 4);
      if (!(await version.isVisible())) {
        await expandRootZh(ui, 'acme/web-app');
        await ui.expand(ui.row('@acme/ui', 3));
      }
      await ui.expand(version);
      await ui.contextMenu(version, '查看软件包详情');
      const frame = await ui.webviewFrame('main.details h1.title', '@acme/ui');
      assert.equal(await frame.locator('html').getAttribute('lang'), 'zh-CN');
      assert.equal((await frame.locator('#overview-heading').textContent())?.trim(), '概览');
      assert.match((await frame.locator('#files-heading').textContent()) ?? '', /^文件/);
      await frame.locator('#install-heading', { hasText: exactly('安装') }).waitFor();
      await frame.locator('button[data-action="refresh"]', { hasText: '刷新' }).waitFor();
      // "Created": a relative date and a Chinese absolute date ("2024年6月12日 12:00 UTC").
      const created = (await frame.locator('dl.facts time').first().textContent()) ?? '';
      assert.match(created, /年.*月.*日/);
      const labels = await frame.locator('dl.facts dt').allTextContents();
      assert.ok(labels.length > 0 && labels.every((l) => HAN.test(l)), `every overview label is Chinese: ${labels.join(', ')}`);
      await ui.clearNotifications();
      await ui.parkPointer();
      await screenshot('workbench-zh-cn');
      await screenshot('details-zh-cn', page.locator('.part.editor'));
    },
  },
  {
    name: 'zh-cn: a command from the palette (Chinese title) answers with a Chinese notification',
    async run({ ui }) {
      await ui.runCommand('GitLab 软件包: 添加项目…');
      await ui.answerInput('acme/web-app', { title: /^添加项目$/ });
      await ui.notification('项目 acme/web-app 已在视图中。').waitFor();
    },
  },
];
