// The list's bulk actions on its current filter: each says how many clients it covers,
// starts a job and follows it; an export ends with its file downloaded.
import { readFile } from 'node:fs/promises';

import { expect, salon, signIn, test } from './env';

// Every client of the salon but Алина, who came from a till (POS).
const BY_HAND = '/clients?registrationSources=MANUAL';
const byHand = () => salon.clients() - 1;

test('a segment is assigned to every client of the filter and shows on a member’s card', async ({ owner: page }) => {
  await page.goto(BY_HAND);
  await expect(page.getByTestId('total-count')).toContainText(String(byHand()));
  await page.getByTestId('bulk-actions').click();
  await page.getByTestId('bulk-assign').click();
  await expect(page.getByTestId('bulk-covers')).toHaveText(`Действие коснётся ${byHand()} клиентов из списка по текущему фильтру`);
  await expect(page.getByTestId('bulk-start')).toBeDisabled();

  // The segments are offered once they are known.
  await expect(page.getByTestId('bulk-segments')).toBeEnabled();
  await page.getByTestId('bulk-segments').click();
  await page.getByRole('option', { name: salon.bulkSegment() }).click();
  await page.getByTestId('bulk-start').click();
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'SUCCEEDED');
  await expect(page.getByTestId('job-progress')).toHaveText(`Обработано ${byHand()} из ${byHand()}`);
  await expect(page.getByTestId('job-cancel')).toHaveCount(0);
  await page.getByTestId('job-close').click();

  // The list asks again once the job is over: every row of the page shows the segment.
  const rows = page.getByTestId('client-row');
  await expect(rows.filter({ hasText: salon.bulkSegment() })).toHaveCount(await rows.count());
  await rows.first().getByTestId('client-link').click();
  await expect(page.getByTestId('profile-segments')).toContainText(salon.bulkSegment());

  // Алина is outside the filter: her card has no such segment.
  await page.goto(`/clients/${salon.customerId()}`);
  await expect(page.getByTestId('profile-segments')).toContainText(salon.segment());
  await expect(page.getByTestId('profile-segments')).not.toContainText(salon.bulkSegment());
});

test('the filtered list is exported as CSV with the chosen columns and the file is downloaded', async ({ owner: page }) => {
  await page.goto(`${BY_HAND}&sort=NAME&dir=ASC`);
  await expect(page.getByTestId('total-count')).toContainText(String(byHand()));
  await page.getByTestId('bulk-actions').click();
  await page.getByTestId('bulk-export').click();
  await expect(page.getByTestId('bulk-covers')).toContainText(String(byHand()));
  await page.getByTestId('bulk-columns').click({ force: true });
  await page.getByRole('option', { name: 'ФИО' }).click();
  await page.getByRole('option', { name: 'Телефон', exact: true }).click();
  // A click beside the list closes it, so that it covers nothing below.
  await page.getByRole('dialog').getByText('Формат файла').click();
  await page.getByTestId('bulk-start').click();

  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'SUCCEEDED');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('job-download').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const text = (await readFile(await download.path(), 'utf-8')).replace(/^\uFEFF/, '');
  const lines = text.split('\r\n').filter((line) => line !== '');
  expect(lines[0]).toBe('ФИО;Телефон');
  expect(lines).toHaveLength(byHand() + 1);
  // In the list's order (by name, A to Z): Клиент 01 first.
  expect(lines[1]).toMatch(/^Клиент 01;\+7925\d{7}$/);
});

test('a VIEWER has no bulk actions on the list', async ({ page }) => {
  await signIn(page, salon.viewerToken());
  await page.goto(BY_HAND);
  await expect(page.getByTestId('total-count')).toContainText(String(byHand()));
  await expect(page.getByTestId('bulk-actions')).toHaveCount(0);
});

test('@bonusesStopped a bulk accrual is cancelled while it waits, and says so', async ({ owner: page }) => {
  await page.goto(BY_HAND);
  await page.getByTestId('bulk-actions').click();
  await page.getByTestId('bulk-accrue').click();
  await page.getByTestId('bulk-amount').fill('0');
  await expect(page.getByText('Введите сумму больше нуля')).toBeVisible();
  await expect(page.getByTestId('bulk-start')).toBeDisabled();
  await page.getByTestId('bulk-amount').fill('100');
  await page.getByTestId('bulk-comment').fill('К празднику');
  await page.getByTestId('bulk-start').click();

  // The audience is fixed, and no accrual is confirmed while bonuses is stopped.
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'RUNNING');
  await expect(page.getByTestId('job-progress')).toHaveText(`Обработано 0 из ${byHand()}`);
  await page.getByTestId('job-cancel').click();
  await expect(page.getByTestId('job-status')).toHaveText('Отменено');
  await expect(page.getByTestId('job-cancel')).toHaveCount(0);
  await expect(page.getByTestId('job-download')).toHaveCount(0);
});
