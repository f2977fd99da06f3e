// Opens an HTML report in Debian's headless chromium (through playwright-core, which
// downloads no browser of its own) and reads back what an instructor would see.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'vitest';

export const CHROMIUM = process.env.ICA_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe` for suites that need chromium: skipped with a reason, except under CI where it fails. */
export function describeBrowser(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, fn);
    return;
  }
  const reason = `${CHROMIUM} not found: run scripts/ci.d/cohort-packages.sh (installs Debian's chromium)`;
  if (process.env.CI) {
    describe(name, () => {
      it('has chromium (required under CI)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  console.warn(`[browser tests] skipping "${name}": ${reason}`);
  describe.skip(name, fn);
}

export interface RenderedCell {
  learner: string;
  lab: string;
  status: string;
  attempts: string;
  text: string;
}

export interface Rendered {
  title: string;
  cells: RenderedCell[];
  /** chart bars: lab -> percent passed */
  bars: Record<string, number>;
  teachNext: string[];
  /** URLs the page requested other than the file itself */
  requests: string[];
  /** the page's layout width and height */
  size: { width: number; height: number };
  screenshot: string;
}

// Runs in the page (a string: this project compiles without the DOM library).
const READ_PAGE = `(() => {
  const cells = [...document.querySelectorAll('#matrix td.cell')].map((td) => ({
    learner: td.dataset.learner ?? '',
    lab: td.dataset.lab ?? '',
    status: td.dataset.status ?? '',
    attempts: td.dataset.attempts ?? '',
    text: (td.textContent ?? '').trim(),
  }));
  const bars = {};
  for (const g of document.querySelectorAll('#completion-chart g.bar')) {
    const rect = g.querySelector('rect.passed');
    // a bar that did not lay out has no box
    const laidOut = rect && rect.getBoundingClientRect().height > 0;
    bars[g.dataset.lab ?? ''] = laidOut ? Number(g.dataset.percent ?? 'NaN') : Number.NaN;
  }
  const teachNext = [...document.querySelectorAll('#teach-next tr[data-code]')].map((tr) => tr.dataset.code ?? '');
  return {
    title: document.title,
    cells,
    bars,
    teachNext,
    size: { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight },
  };
})()`;

/** Renders `file`, reads the matrix, the chart and the codes, and saves a full-page screenshot. */
export async function renderReport(file: string, screenshot: string): Promise<Rendered> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'ica-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
  });
  try {
    const page = await context.newPage();
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    const data = (await page.evaluate(READ_PAGE)) as Omit<Rendered, 'requests' | 'screenshot'>;
    await page.screenshot({ path: screenshot, fullPage: true });
    return { ...data, requests, screenshot };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
