/** Layout checks the window must pass at every size it supports: nothing overflows, nothing is cut off. */
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/**
 * Problems with what is on screen: horizontal overflow of the page, and any visible element whose own
 * content is wider or taller than its box where that box hides the rest (text cut off without a
 * scrollbar). Scrolling panels (overflow auto) are not clipping. Single-line labels that end in an
 * ellipsis by design carry a title with the whole text and are allowed.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.scrollingElement!;
    if (doc.scrollWidth > window.innerWidth) problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${window.innerWidth}`);
    if (doc.scrollHeight > window.innerHeight) problems.push(`page scrolls down: ${doc.scrollHeight} > ${window.innerHeight}`);
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')}[${(el as HTMLElement).dataset.testid ?? ''}] "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.closest('[hidden], dialog:not([open])')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(el);
      if (el.matches('canvas, video, img, select, input, option')) continue;
      const hidesX = ['hidden', 'clip'].includes(style.overflowX);
      const hidesY = ['hidden', 'clip'].includes(style.overflowY);
      if (el.classList.contains('visually-hidden')) continue;
      if (hidesX && el.scrollWidth > el.clientWidth + 1) {
        const titled = el.title || el.closest('[title]');
        if (!(style.textOverflow === 'ellipsis' && titled)) problems.push(`cut off sideways: ${name(el)} (${el.scrollWidth} > ${el.clientWidth})`);
      }
      if (hidesY && el.scrollHeight > el.clientHeight + 1 && !el.matches('.preview')) problems.push(`cut off at the bottom: ${name(el)} (${el.scrollHeight} > ${el.clientHeight})`);
    }
    return problems;
  });
}

/** Asserts each test id's element is wholly inside the viewport. */
export async function expectInViewport(page: Page, testIds: string[]): Promise<void> {
  const viewport = page.viewportSize()!;
  for (const id of testIds) {
    const box = await page.getByTestId(id).first().boundingBox();
    expect(box, `${id} is on screen`).not.toBeNull();
    expect(box!.x, `${id} left edge`).toBeGreaterThanOrEqual(0);
    expect(box!.y, `${id} top edge`).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, `${id} right edge`).toBeLessThanOrEqual(viewport.width);
    expect(box!.y + box!.height, `${id} bottom edge`).toBeLessThanOrEqual(viewport.height);
  }
}

/** axe-core's WCAG A/AA rules; the serious and critical findings, each as one readable line. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
}
