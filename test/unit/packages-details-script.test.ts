import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { parseWebviewMessage } from '../../src/packages/messages';

/**
 * Runs media/details.js in a VM with just enough DOM for it: elements with `dataset`,
 * `closest`, `classList` and attributes, one click listener on the document.
 */
class FakeElement {
  parent: FakeElement | undefined;
  disabled = false;
  readonly dataset: Record<string, string>;
  private readonly attributes = new Map<string, string>();
  private readonly classes = new Set<string>();
  readonly classList = {
    add: (c: string) => void this.classes.add(c),
    remove: (c: string) => void this.classes.delete(c),
    contains: (c: string) => this.classes.has(c),
  };

  constructor(data: Record<string, string> = {}, attrs: Record<string, string> = {}, parent?: FakeElement) {
    this.dataset = data;
    this.parent = parent;
    for (const [k, v] of Object.entries(attrs)) this.attributes.set(k, v);
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }

  closest(selector: string): FakeElement | null {
    assert.equal(selector, '[data-action]');
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let el: FakeElement | undefined = this;
    while (el && el.dataset.action === undefined) el = el.parent;
    return el ?? null;
  }
}

function load(body?: { dataset: Record<string, string> }): { posted: unknown[]; click: (target: unknown) => boolean; timers: Array<() => void> } {
  const posted: unknown[] = [];
  const timers: Array<() => void> = [];
  let listener: ((e: unknown) => void) | undefined;
  const context = {
    window: { Element: FakeElement },
    document: {
      body,
      addEventListener: (type: string, fn: (e: unknown) => void) => {
        assert.equal(type, 'click');
        listener = fn;
      },
    },
    // postMessage structured-clones; a JSON round trip also moves the object out of the VM realm.
    acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))) }),
    setTimeout: (fn: () => void) => timers.push(fn),
    Number,
    Set,
  };
  const source = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'media', 'details.js'), 'utf8');
  vm.runInNewContext(source, context);
  return {
    posted,
    timers,
    click: (target) => {
      let prevented = false;
      listener?.({ target, preventDefault: () => (prevented = true) });
      return prevented;
    },
  };
}

describe('media/details.js', () => {
  it('says ready once loaded', () => {
    const { posted } = load();
    assert.deepEqual(posted, [{ type: 'ready' }]);
  });

  it('turns clicks into messages the host accepts', () => {
    const { posted, click } = load();
    posted.length = 0;
    const cases: Array<[Record<string, string>, unknown]> = [
      [{ action: 'openInBrowser' }, { type: 'openInBrowser' }],
      [{ action: 'deletePackage' }, { type: 'deletePackage' }],
      [{ action: 'refresh' }, { type: 'refresh' }],
      [{ action: 'deleteFile', fileId: '55' }, { type: 'deleteFile', fileId: 55 }],
      [{ action: 'downloadFile', fileId: '56' }, { type: 'downloadFile', fileId: 56 }],
      [{ action: 'openVersion', packageId: '9' }, { type: 'openVersion', packageId: 9 }],
      [{ action: 'copy', copy: 'sha256' }, { type: 'copy', text: 'sha256' }],
    ];
    for (const [data, expected] of cases) {
      assert.equal(click(new FakeElement(data)), true);
      const message = posted.pop();
      assert.deepEqual(message, expected);
      assert.deepEqual(parseWebviewMessage(message), expected, 'host-side validation agrees');
    }
  });

  it('finds the button from an inner element (icon span)', () => {
    const { posted, click } = load();
    posted.length = 0;
    const button = new FakeElement({ action: 'refresh' });
    click(new FakeElement({}, {}, button));
    assert.deepEqual(posted, [{ type: 'refresh' }]);
  });

  it('ignores unknown actions, bad ids, disabled buttons and non-elements', () => {
    const { posted, click } = load();
    posted.length = 0;
    assert.equal(click(new FakeElement({ action: 'eval' })), false);
    click(new FakeElement({ action: 'deleteFile', fileId: 'abc' }));
    click(new FakeElement({ action: 'deleteFile', fileId: '-3' }));
    click(new FakeElement({ action: 'openVersion' }));
    click(new FakeElement({ action: 'copy', copy: '' }));
    const disabled = new FakeElement({ action: 'refresh' });
    disabled.disabled = true;
    click(disabled);
    click({ nodeType: 3 });
    click(new FakeElement({}));
    assert.deepEqual(posted, []);
  });

  it('flashes "Copied" on a copy button and restores its label', () => {
    const { click, timers } = load();
    const button = new FakeElement({ action: 'copy', copy: 'x' }, { 'aria-label': 'Copy SHA-1' });
    click(button);
    assert.equal(button.classList.contains('copied'), true);
    assert.equal(button.getAttribute('aria-label'), 'Copied');
    timers.forEach((fn) => fn());
    assert.equal(button.classList.contains('copied'), false);
    assert.equal(button.getAttribute('aria-label'), 'Copy SHA-1');
  });

  it('says "Copied" in the word the extension put on the page (the script cannot translate)', () => {
    const { click } = load({ dataset: { copiedLabel: '已复制' } });
    const button = new FakeElement({ action: 'copy', copy: 'x' }, { 'aria-label': '复制 SHA-1' });
    click(button);
    assert.equal(button.getAttribute('aria-label'), '已复制');
  });
});
