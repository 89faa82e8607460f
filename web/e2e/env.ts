// What the test run set up for the browser tests, from the environment.
import { test as base, type Page } from '@playwright/test';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through tests/e2e/test_web.py`);
  return value;
}

export const salon = {
  ownerToken: () => required('WEB_OWNER_TOKEN'),
  viewerToken: () => required('WEB_VIEWER_TOKEN'),
  /** The client whose card the tests work on. */
  customerId: () => required('WEB_CUSTOMER_ID'),
  customerName: () => required('WEB_CUSTOMER_NAME'),
  customerPhone: () => required('WEB_CUSTOMER_PHONE'),
  /** How many clients the salon has. */
  clients: () => Number(required('WEB_CLIENTS')),
  segment: () => required('WEB_SEGMENT'),
  /** A manual segment no client is in until a bulk action assigns it. */
  bulkSegment: () => required('WEB_BULK_SEGMENT'),
  screenshots: () => process.env.WEB_SCREENSHOTS ?? '',
};

/** Opens the app as a member of staff holding this token. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.context().addInitScript((value) => window.localStorage.setItem('clientcard.token', value), token);
}

export const test = base.extend<{ owner: Page }>({
  owner: async ({ page }, use) => {
    await signIn(page, salon.ownerToken());
    await use(page);
  },
});

export { expect } from '@playwright/test';
