/**
 * Who stays in the picture, from the window: the real page and engine with two real people as the
 * camera (one still frame of openh264's CiscoVT2people: a man on the left, a woman holding a red bag on
 * the right). With a green background, a person dropped from the picture turns green where they were;
 * one kept keeps the camera's colours. The preview is mirrored (the default), so a click on the man lands
 * on the right of the screen: the click is mapped back to the frame as the app maps it.
 */
import { existsSync } from 'node:fs';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { CHROMIUM, TWO_PEOPLE_CLIP, TWO_PEOPLE_Y4M, chromiumArgs } from './env';
import { distance, previewColour, type Rgb } from './pixels';
import { startRendererServer, type RendererServer } from './server';

const GREEN: Rgb = [0, 255, 0];
/** Points in the 640x360 frame. */
const MAN = [
  { x: 120, y: 80 }, // face
  { x: 80, y: 230 }, // jacket
];
const WOMAN = [
  { x: 450, y: 150 }, // face, under the glasses
  { x: 450, y: 290 }, // the red bag she holds
];
const WALL = { x: 300, y: 60 };
/** A dropped person is as green as the background around them; a kept one is far from it. */
const GREEN_TOLERANCE = 40;

let server: RendererServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const greenness = async (at: { x: number; y: number }) => distance(await previewColour(page, at), GREEN);

/** Clicks the preview where the frame point is shown: object-fit contain, mirrored or not. */
async function clickFramePoint(at: { x: number; y: number }): Promise<void> {
  const shown = await page.getByTestId('preview').evaluate((c: HTMLCanvasElement) => {
    const box = c.getBoundingClientRect();
    return { left: box.left, top: box.top, width: box.width, height: box.height, frameWidth: c.width, frameHeight: c.height, mirrored: c.classList.contains('mirrored') };
  });
  const scale = Math.min(shown.width / shown.frameWidth, shown.height / shown.frameHeight);
  const left = shown.left + (shown.width - shown.frameWidth * scale) / 2;
  const top = shown.top + (shown.height - shown.frameHeight * scale) / 2;
  const x = shown.mirrored ? shown.frameWidth - at.x : at.x;
  await page.mouse.click(left + x * scale, top + at.y * scale);
}

async function expectKept(who: { x: number; y: number }[], what: string): Promise<void> {
  for (const at of who) await expect.poll(() => greenness(at), { timeout: 60_000, message: `${what} at ${at.x},${at.y} stays` }).toBeGreaterThan(100);
}

async function expectDropped(who: { x: number; y: number }[], what: string): Promise<void> {
  for (const at of who) await expect.poll(() => greenness(at), { timeout: 60_000, message: `${what} at ${at.x},${at.y} is background` }).toBeLessThanOrEqual(GREEN_TOLERANCE);
}

test.describe.serial('who stays in the picture, with two people at the camera', () => {
  test.skip(!existsSync(TWO_PEOPLE_CLIP), `${TWO_PEOPLE_CLIP} is absent`);

  test.beforeAll(async () => {
    server = await startRendererServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs('fake', TWO_PEOPLE_Y4M) });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(server.url);
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('resolution').selectOption('640x360');
    await page.getByTestId('tab-background').click();
    await page.getByTestId('background-colour-#00ff00').getByRole('radio').click();
    await expect(page.getByTestId('active-background')).toHaveText('Active: colour #00ff00', { timeout: 60_000 });
  });
  test.afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('everyone stays at first', async () => {
    await expect(page.getByTestId('people-all')).toHaveAttribute('aria-checked', 'true');
    await expect.poll(() => greenness(WALL), { timeout: 60_000 }).toBeLessThanOrEqual(GREEN_TOLERANCE);
    await expectKept([...MAN, ...WOMAN], 'everyone');
  });

  test('the modes are a radio group the arrow keys move through', async () => {
    await page.getByTestId('people-all').focus();
    // Held as a person holds it: Radix checks the radio it focuses only while the arrow key is still down,
    // and it focuses on a timer, which an instant press-and-release beats.
    await page.keyboard.down('ArrowRight');
    await expect(page.getByTestId('people-main')).toBeFocused();
    await page.keyboard.up('ArrowRight');
    await expect(page.getByTestId('people-main')).toHaveAttribute('aria-checked', 'true');
    expect(await page.getByTestId('people-main').evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    await expect(page.getByTestId('people-hint')).toContainText('largest face');
  });

  test("'Only me' keeps the person with the largest face (the woman, nearer the camera) and drops the other", async () => {
    await expectDropped(MAN, 'the man');
    await expectKept(WOMAN, 'the woman');
  });

  test("in 'People I pick', clicking the man keeps him and drops the woman; clicking him again brings everyone back", async () => {
    await page.getByTestId('people-pick').click();
    await expect(page.getByTestId('people-hint')).toContainText('Click a person in the preview');
    // Until someone is picked, everyone stays.
    await expectKept([...MAN, ...WOMAN], 'everyone before a pick');
    await expect(page.getByTestId('preview')).toHaveClass(/picking/);

    await clickFramePoint(MAN[1]);
    await expectDropped(WOMAN, 'the woman');
    await expectKept(MAN, 'the man, picked');

    await clickFramePoint(MAN[1]);
    await expectKept([...MAN, ...WOMAN], 'everyone once the pick is dropped');
  });

  test('back to everyone, the preview takes no clicks', async () => {
    await page.getByTestId('people-all').click();
    await expect(page.getByTestId('preview')).not.toHaveClass(/picking/);
    await expectKept([...MAN, ...WOMAN], 'everyone');
  });

  test('the page ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
