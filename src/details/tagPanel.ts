import * as vscode from 'vscode';
import { tagDetails } from '../actions/registry';
import { parseWebviewMessage } from '../packages/messages';
import { renderNonce } from '../packages/nonce';
import { describeRegistryError, renderTagDetailsHtml, repositoryDisplayName, repositoryWebUrl, type TagDetailsModel } from '../registry';
import type { Services } from '../services/services';
import type { RegistryTagNode } from '../tree/nodes';

export const TAG_DETAILS_VIEW_TYPE = 'gitlabPackages.tagDetails';

const panels = new Map<string, TagDetailsPanel>();

/**
 * A container image tag in the details webview: one panel per tag, reused when asked again.
 * The page's messages (copy, open in browser, refresh) are validated before anything happens.
 */
export class TagDetailsPanel {
  static show(s: Services, node: RegistryTagNode): TagDetailsPanel {
    const existing = panels.get(node.id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const created = new TagDetailsPanel(s, node);
    panels.set(node.id, created);
    void created.load();
    return created;
  }

  static find(nodeId: string): TagDetailsPanel | undefined {
    return panels.get(nodeId);
  }

  readonly panel: vscode.WebviewPanel;
  model: TagDetailsModel;
  private loading: Promise<void> = Promise.resolve();

  private constructor(
    private readonly s: Services,
    readonly node: RegistryTagNode,
  ) {
    const media = vscode.Uri.joinPath(s.context.extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(TAG_DETAILS_VIEW_TYPE, `${repositoryDisplayName(node.parent.repo)}:${node.tag.name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      enableFindWidget: true,
    });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'gitlab-packages.svg');
    this.model = { repo: node.parent.repo, protected: node.protected, webUrl: repositoryWebUrl(node.parent.parent.parent.root.instanceUrl, node.parent.repo) };
    this.panel.onDidDispose(() => panels.delete(node.id));
    this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.handle(raw));
    this.render();
  }

  get html(): string {
    return this.panel.webview.html;
  }

  whenLoaded(): Promise<void> {
    return this.loading;
  }

  load(): Promise<void> {
    this.model = { ...this.model, details: undefined, error: undefined };
    this.render();
    this.loading = (async () => {
      try {
        // Always fresh from R6: the tree may hold details from before a re-push.
        this.model = { ...this.model, details: await tagDetails(this.s, { ...this.node, details: undefined }) };
      } catch (e) {
        this.model = { ...this.model, error: describeRegistryError(e, { name: this.node.tag.name }).message };
      }
      this.render();
    })();
    return this.loading;
  }

  private render(): void {
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.s.context.extensionUri, 'media');
    webview.html = renderTagDetailsHtml(this.model, this.node.tag.name, {
      cspSource: webview.cspSource,
      nonce: renderNonce(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'details.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'details.js')).toString(),
      locale: vscode.env.language,
    });
  }

  private async handle(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) return;
    if (msg.type === 'copy') {
      await this.s.external.copy(msg.text);
      vscode.window.setStatusBarMessage(`$(copy) ${vscode.l10n.t('Copied')}`, 3000);
    } else if (msg.type === 'openInBrowser' && this.model.webUrl) {
      await this.s.external.open(this.model.webUrl);
    } else if (msg.type === 'refresh') {
      await this.load();
    }
  }
}
