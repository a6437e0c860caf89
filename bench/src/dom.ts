import { JSDOM } from 'jsdom';

export interface Dom {
  document: Document;
  /**
   * Removes every global this installed, once the work React scheduled (the effects of an unmount) has run:
   * React's scheduler runs on `setImmediate`, and would find no `window` otherwise.
   */
  uninstall(): Promise<void>;
}

/**
 * A jsdom window as the globals React DOM expects (`window`, `document`, `navigator`, element classes…), for the
 * figures that render. Only names Node lacks are added, so Node's own `fetch`, `Event`, `BroadcastChannel` and
 * timers stay, and all of them are removed again by `uninstall()`: later figures run in plain Node.
 */
export function installDom(): Dom {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', {
    url: 'http://localhost/',
    pretendToBeVisual: true,
  });
  const window = dom.window as unknown as Record<string, unknown>;
  const target = globalThis as Record<string, unknown>;
  const added: string[] = [];
  const define = (key: string, value: unknown) => {
    Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: false });
    added.push(key);
  };
  define('window', window);
  for (const key of Object.getOwnPropertyNames(window)) {
    if (key in target || key.startsWith('_')) continue;
    define(key, window[key]);
  }
  return {
    document: dom.window.document as unknown as Document,
    async uninstall() {
      for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => setTimeout(resolve, 50));
      for (const key of added) delete target[key];
      dom.window.close();
    },
  };
}
