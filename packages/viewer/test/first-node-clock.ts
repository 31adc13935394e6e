import type { Page } from 'playwright-core';

/** Runs in the page (as text: the tests are typed without the DOM's types). */
const WATCH = `(() => {
  const observer = new MutationObserver(() => {
    const node = document.querySelector('.react-flow__node');
    if (node && getComputedStyle(node).visibility === 'visible' && node.getBoundingClientRect().width > 0) {
      window.tgFirstNodeMs = Math.round(performance.now());
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();`;

/**
 * Has the page note, on its own clock, when the first task node is drawn visible: milliseconds from the
 * start of navigation. A test's own wait sees it later, once the page is idle enough to answer.
 */
export async function watchFirstNode(page: Page): Promise<() => Promise<number | undefined>> {
  await page.addInitScript({ content: WATCH });
  return () => page.evaluate<number | undefined>('window.tgFirstNodeMs');
}
