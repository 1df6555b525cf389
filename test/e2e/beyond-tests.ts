// Browser tests for issue 13: the Storage… page and the cleanup preview with its one
// confirmation, driven through the real workbench UI. Screenshots: storage-*, cleanup-preview-*.
import * as assert from 'node:assert/strict';
import { USER_IDS } from '../fake-gitlab/seed';
import type { E2eTest } from './tests';
import { until } from './ui';

export const beyondTests: E2eTest[] = [
  {
    name: 'Storage… on a root: measured sizes drawn as SVG bars in a script-free page',
    async run(ctx) {
      const { ui, page, scriptDialogs } = ctx;
      await ui.openView();
      await ui.collapseAll();
      const root = ui.row('acme/web-app', 1);
      await root.waitFor();
      await ui.contextMenu(root, 'Storage…');
      const frame = await ui.webviewFrame('h1', 'Storage of acme/web-app');
      await frame.locator('svg.bars rect.bar').first().waitFor();
      const headings = await frame.locator('h2').allInnerTexts();
      assert.deepEqual(headings, ['Largest packages', 'Largest versions', 'By package type', 'What cleanup rules would free']);
      const first = await frame.locator('section').first().locator('td.name').first().innerText();
      assert.match(first, /^web-assets/, 'the largest package first');
      assert.equal(await frame.locator('script').count(), 0);
      // The seed's hostile package name is text, never markup.
      assert.equal(await frame.locator('img').count(), 0);
      await ui.clearNotifications();
      await ui.parkPointer();
      await ctx.screenshot('storage-light', page.locator('.part.editor'));

      // Measured, the root's packages are listed largest first in the tree, each ending with its size.
      await ui.expandRoot('acme/web-app');
      const labels = await until('web-assets first in the tree', async () => {
        const found = await ui.labels(3);
        return found[0] === 'web-assets' ? found : undefined;
      });
      assert.ok(labels.length > 3, labels.join(', '));
      const sizes = [];
      for (const label of labels.slice(0, 3)) {
        const description = await ui.description(ui.row(label, 3).first());
        const m = /([\d.]+) (B|KiB|MiB)$/.exec(description);
        assert.ok(m, `${label}: its size ends the description (${description})`);
        sizes.push(Number(m[1]) * { B: 1, KiB: 1024, MiB: 1024 * 1024 }[m[2] as 'B' | 'KiB' | 'MiB']);
      }
      assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), `largest first: ${labels.slice(0, 3).join(', ')}`);
      await ui.parkPointer();
      await ctx.screenshot('tree-sizes', await ui.sidebarDownToLastRow());
      assert.deepEqual(scriptDialogs, []);
    },
  },
  {
    name: 'Clean Up Packages… shows the preview of every version and asks once; Cancel sends nothing',
    async run(ctx) {
      const { ui, fake } = ctx;
      // Earlier tests may leave the Developer signed in; deleting needs a Maintainer, so the
      // fake promotes that user for this test (the cleanup lists fresh from GitLab).
      const promoted = fake.db.members.filter((m) => m.userId === USER_IDS.developer);
      const levels = promoted.map((m) => m.accessLevel);
      promoted.forEach((m) => (m.accessLevel = 40));
      try {
        await ui.openView();
        await ui.collapseAll();
        const root = ui.row('acme/platform/api', 1);
        await root.waitFor();
        const deletesBefore = fake.requests.filter((r) => r.method === 'DELETE').length;
        await ui.contextMenu(root, 'Clean Up Packages…');
        // Each box is told apart by its prompt, so an answer never lands in the previous box.
        const answer = async (prompt: RegExp, text: string): Promise<void> => {
          await ui.quickInput().filter({ hasText: prompt }).waitFor();
          await ui.answerInput(text);
        };
        // Rules saved by an earlier run of this session are offered first.
        const keepBox = ui.quickInput().filter({ hasText: /Keep the newest N versions/ });
        const change = ui.quickItem('Change the rules…');
        await keepBox.or(change).first().waitFor();
        if (await change.isVisible()) await change.click();
        await answer(/Keep the newest N versions/, '1');
        await answer(/Only versions older than N days/, '');
        await answer(/Only versions matching a regular expression/, '');
        await ui.quickItem('Every package type').click();
        await ui.quickItem('Any status').click();
        await ui.dialog().waitFor();
        const question = await ui.dialog().innerText();
        assert.match(question, /Delete \d+ package versions in acme\/platform\/api/);
        // The preview is rendered by VS Code's Markdown preview (a webview): a table of every version.
        const preview = await ui.webviewFrame('h1', 'Clean up packages in acme/platform/api');
        const rows = await preview.locator('table').first().locator('tbody tr').count();
        assert.match(question, new RegExp(`Delete ${rows} package versions`), 'the table lists exactly what the question counts');
        assert.equal(await preview.locator('a').count(), 0, 'no links from package names');
        await ui.parkPointer();
        await ctx.screenshot('cleanup-preview-light');
        await ui.dialogButton('Cancel').click();
        await ui.dialog().waitFor({ state: 'detached' });
        assert.equal(fake.requests.filter((r) => r.method === 'DELETE').length, deletesBefore, 'no DELETE after Cancel');
      } finally {
        promoted.forEach((m, i) => (m.accessLevel = levels[i]));
      }
    },
  },
];
