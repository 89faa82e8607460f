// How fast the Clients section opens for a merchant: the initial bundle's size (gzip) and,
// in Debian's Chromium, the time from navigation to the first rows of the list and to the
// whole card (all eight sections filled). Against a running app, e.g. `make up`:
//
//   node web/bench/timing.mjs --url http://127.0.0.1:3000 [--runs 7] [--customer <id>]
//
// Each run is a new browser context (cold cache), the token being the app's development one.
// Prints a JSON report; docs/benchmarks.md has the numbers and the machine.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, value, i, all) => (i % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[i + 1]]] : pairs), []),
);
const url = args.url ?? 'http://127.0.0.1:3000';
const runs = Number(args.runs ?? 7);

/** The gzip size of what index.html loads before the app runs: its scripts and styles. */
function initialBundle() {
  const dist = join(here, '..', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const files = assets.map((asset) => {
    const body = readFileSync(join(dist, asset));
    return { asset, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  const total = files.reduce((sum, f) => sum + f.gzip, 0);
  return { files, gzipKB: +(total / 1024).toFixed(1) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeTo(browser, path, ready) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${url}${path}`);
  await ready(page);
  const elapsed = Date.now() - started;
  await context.close();
  return elapsed;
}

async function main() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const list = [];
    const card = [];
    let customer = args.customer;
    for (let i = 0; i < runs; i += 1) {
      list.push(
        await timeTo(browser, '/clients', async (page) => {
          await page.getByTestId('client-row').first().waitFor();
          customer ??= (await page.getByTestId('client-link').first().getAttribute('href')).split('/').pop();
        }),
      );
    }
    for (let i = 0; i < runs; i += 1) {
      card.push(
        await timeTo(browser, `/clients/${customer}`, async (page) => {
          for (const section of ['profile', 'bonuses', 'nps', 'registration', 'conversation', 'messengers', 'notes', 'receipts']) {
            await page.getByTestId(`section-${section}`).waitFor();
          }
        }),
      );
    }
    const report = {
      url,
      runs,
      customer,
      bundle: initialBundle(),
      firstRowsMs: { median: median(list), all: list },
      wholeCardMs: { median: median(card), all: card },
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
  }
}

await main();
