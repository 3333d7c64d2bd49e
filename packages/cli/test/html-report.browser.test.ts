import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { Inventory } from '@privacy-kit/core';
import { launchTestChromium } from './support/chromium';
import { FIXTURES, ROOT, runCli } from './support/run-cli';

/**
 * The HTML report in a real headless browser (the Chromium of the @sparticuz/chromium devDependency, driven by
 * playwright-core): it renders offline, draws a node per annotated route, filters, and leaves a screenshot in
 * test-output/. When no Chromium can start here, this suite fails with one message naming the fix, on purpose.
 */
const OUTPUT = join(ROOT, 'test-output');
const REPORT = join(OUTPUT, 'privacy-map.html');
const SCREENSHOT = join(OUTPUT, 'privacy-map.png');

jest.setTimeout(60_000);

describe('the HTML report in a headless browser', () => {
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let inventory: Inventory;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const args = ['map', `${FIXTURES}/twins-app.ts`, '--observed', `${FIXTURES}/observed-twins.json`, '--config', `${FIXTURES}/allow-health.config.json`];
    const written = runCli([...args, '--out', REPORT]);
    expect(written.status).toBe(0);
    inventory = JSON.parse(runCli([...args, '--format', 'json']).stdout) as Inventory;
    profile = mkdtempSync(join(tmpdir(), 'pk-chromium-'));
    context = await launchTestChromium(profile, { viewport: { width: 1400, height: 1000 } });
    // Offline: anything but the file itself is recorded and refused.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url.startsWith('file:') ? route.continue() : route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto(pathToFileURL(REPORT).href);
  });

  afterAll(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  const annotatedIds = (): string[] => inventory.routes.filter((r) => r.annotated).map((r) => r.id);
  const visibleRows = (): Promise<string[]> => page.$$eval('#routes tbody tr', (rows) => rows.filter((r) => !r.hasAttribute('hidden')).map((r) => r.getAttribute('data-route-id') ?? ''));
  const choose = async (filter: string, value: string): Promise<void> => {
    await page.selectOption(`#filter-${filter}`, value);
  };

  it('renders from the file alone: no request leaves the page and no script error occurs', async () => {
    expect(await page.title()).toBe('Privacy map: twins-shop');
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    expect(problems).toEqual([]);
    expect(await page.locator('svg.data-flow').isVisible()).toBe(true);
  });

  it('draws one diagram node per annotated route, linked to its purposes', async () => {
    const nodes = await page.$$eval('svg [data-node-kind="route"]', (els) => els.map((e) => e.getAttribute('data-route-id')));
    expect(nodes).toEqual(annotatedIds());
    expect(await page.locator('svg [data-node-kind="subject"]').count()).toBe(1);
    expect(await page.locator('svg [data-node-kind="purpose"]').count()).toBe(4);
    expect(await page.locator('svg path.edge').count()).toBeGreaterThanOrEqual(annotatedIds().length * 2);
    const box = await page.locator('svg [data-route-id="GET /me/profile"]').boundingBox();
    expect(box?.width).toBeGreaterThan(100);
  });

  it('filters the routes by category, including narrower categories, and dims the others in the diagram', async () => {
    expect(await visibleRows()).toEqual(annotatedIds());
    await choose('category', 'user.contact.email');
    expect(await visibleRows()).toEqual(['GET /me/profile', 'POST /me/newsletter']);
    expect(await page.textContent('#route-count')).toBe('2 of 4 routes shown');
    const dimmed = await page.$$eval('svg [data-node-kind="route"].dim', (els) => els.map((e) => e.getAttribute('data-route-id')));
    expect(dimmed).toEqual(['GET /users/:id', 'GET /me/recommendations']);
    await page.click('#filter-reset');
    expect(await visibleRows()).toEqual(annotatedIds());
  });

  it('filters by purpose (with its sub-purposes) and by lawful basis, together', async () => {
    await choose('purpose', 'essential.service');
    expect(await visibleRows()).toEqual(['GET /me/profile', 'GET /users/:id']);
    await choose('basis', 'legitimate_interests');
    expect(await visibleRows()).toEqual(['GET /users/:id']);
    await page.click('#filter-reset');
    await choose('basis', 'consent');
    expect(await visibleRows()).toEqual(['GET /me/recommendations', 'POST /me/newsletter']);
    await page.click('#filter-reset');
  });

  it('lists the routes without annotation, flagging one that returned personal data', async () => {
    const items = await page.$$eval('#unannotated li', (els) => els.map((e) => e.textContent ?? ''));
    expect(items).toHaveLength(1);
    expect(items[0]).toContain('GET /health');
    expect(items[0]).toContain('returns personal data: user.contact.email');
  });

  it("shows each category's time limit for erasure, and which are kept until erased", async () => {
    const rows = await page.$$eval('#retention tbody tr', (trs) => trs.map((tr) => [1, 2, 3].map((n) => tr.querySelector(`td:nth-child(${n}) > :first-child`)?.textContent ?? '')));
    expect(rows).toEqual([
      ['user.behavior.purchase_history', 'none declared: kept until erased', '–'],
      ['user.contact.email', '2y', 'route GET /me/profile'],
      ['user.name', '2y', 'route GET /me/profile'],
    ]);
    expect(await page.locator('#retention').isVisible()).toBe(true);
  });

  it('carries the Mermaid source and the inventory JSON', async () => {
    expect((await page.textContent('#mermaid-source'))?.startsWith('flowchart LR')).toBe(true);
    const embedded = JSON.parse((await page.textContent('#privacy-inventory')) ?? '{}') as Inventory;
    expect(embedded.routes.map((r) => r.id)).toEqual(inventory.routes.map((r) => r.id));
    expect(readFileSync(REPORT, 'utf8')).toContain('Twins Shop Ltd');
  });

  it('leaves a full-page screenshot in test-output/', async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });
});
