// Run by tests/e2e/test_web.py while the messaging service is stopped: its sections say so,
// the rest of the card works.
import { expect, salon, test } from './env';

test('@partial with messaging stopped the card shows its sections as unavailable and the rest works', async ({ owner: page }) => {
  await page.goto(`/clients/${salon.customerId()}`);
  await expect(page.getByTestId('card-name')).toHaveText(salon.customerName());
  for (const section of ['nps', 'conversation', 'messengers']) {
    await expect(page.getByTestId(`section-${section}`).getByTestId('unavailable')).toHaveText('временно недоступно');
  }
  for (const section of ['profile', 'bonuses', 'registration', 'notes', 'receipts']) {
    await expect(page.getByTestId(`section-${section}`).getByTestId('unavailable')).toHaveCount(0);
  }
  await expect(page.getByTestId('bonus-balance')).toBeVisible();
  const notes = page.getByTestId('section-notes');
  await notes.getByTestId('note-text').fill('Позвонить после праздников');
  await notes.getByTestId('add-note').click();
  await expect(notes.getByTestId('note').filter({ hasText: 'Позвонить после праздников' })).toHaveCount(1);
  await expect(page.getByTestId('section-messengers').getByTestId('unavailable')).toHaveCount(1);
});
