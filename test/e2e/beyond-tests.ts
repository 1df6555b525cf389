// Browser tests for issue 13: the Storage… page and the cleanup preview with its one
// confirmation, driven through the real workbench UI. Screenshots: storage-*, cleanup-preview-*.
import * as assert from 'node:assert/strict';
import { TOKENS } from '../fake-gitlab/seed';
import type { E2eContext, E2eTest } from './tests';
import { until } from './ui';

async function signInAsMaintainer({ ui, fake }: E2eContext): Promise<void> {
  await ui.runCommand('GitLab Packages: Set Token…');
  const instance = ui.quickItem(fake.url);
  await instance.waitFor();
  await instance.click();
  await ui.answerInput(TOKENS.maintainer, { password: true });
  await ui.notification(/Signed in to .* as @alice\./).waitFor();
  await ui.clearNotifications();
}

export const beyondTests: E2eTest[] = [
  {
    name: 'Storage… on a root: measured sizes drawn as SVG bars in a script-free page',
    async run(ctx) {
      const { ui, page, scriptDialogs } = ctx;
      await signInAsMaintainer(ctx);
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
      assert.deepEqual(scriptDialogs, []);
    },
  },
  {
    name: 'Clean Up Packages… shows the preview of every version and asks once; Cancel sends nothing',
    async run(ctx) {
      const { ui, page, fake } = ctx;
      await ui.openView();
      await ui.collapseAll();
      const root = ui.row('acme/platform/api', 1);
      await root.waitFor();
      const deletesBefore = fake.requests.filter((r) => r.method === 'DELETE').length;
      await ui.contextMenu(root, 'Clean Up Packages…');
      await ui.answerInput('1');
      await ui.answerInput('');
      await ui.answerInput('');
      await ui.quickItem('Every package type').click();
      await ui.quickItem('Any status').click();
      await ui.dialog().waitFor();
      const question = await ui.dialog().innerText();
      assert.match(question, /Delete \d+ package versions in acme\/platform\/api, freeing/);
      const editor = page.locator('.part.editor .view-lines');
      await until('the preview document', async () => /Clean up packages in acme\/platform\/api/.test(await editor.innerText()));
      assert.match(await editor.innerText(), /To delete/);
      await ui.parkPointer();
      await ctx.screenshot('cleanup-preview-light');
      await ui.dialogButton('Cancel').click();
      await ui.dialog().waitFor({ state: 'detached' });
      assert.equal(fake.requests.filter((r) => r.method === 'DELETE').length, deletesBefore, 'no DELETE after Cancel');
    },
  },
];
