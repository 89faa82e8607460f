// The two pages as chunks of their own. The page the address asks for is loaded before the
// first render, beside the runtime settings (`main.tsx`), and then rendered at once: a page
// that suspended would be revealed only after React's fallback delay. The other page's
// chunk follows right after, so moving between the list and a card waits for nothing.
import { createElement, lazy, type ComponentType } from 'react';

interface Page {
  /** The page: the loaded component, or a lazy one while its chunk is on its way. */
  Page: ComponentType;
  load: () => Promise<void>;
}

function page(load: () => Promise<ComponentType>): Page {
  let loaded: ComponentType | null = null;
  // A chunk that did not load is not fatal here: the lazy page tries again when shown.
  const loadOnce = () =>
    load().then(
      (component) => void (loaded = component),
      () => undefined,
    );
  const Lazy = lazy(async () => ({ default: await load() }));
  return {
    Page: () => createElement(loaded ?? Lazy),
    load: loadOnce,
  };
}

const list = page(() => import('./clients/ClientsPage').then((module) => module.ClientsPage));
const card = page(() => import('./card/CardPage').then((module) => module.CardPage));

export const ClientsPage = list.Page;
export const CardPage = card.Page;

/** Loads the page `path` shows (a card, else the list); the other one is loaded after it. */
export async function loadPages(path: string): Promise<void> {
  const [first, second] = /^\/clients\/[^/]+/.test(path) ? [card, list] : [list, card];
  await first.load();
  void second.load();
}
