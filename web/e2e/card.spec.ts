// The card: its eight sections in the back office's order, and the changes a member of staff
// makes there, each seen in the card right after.
import { expect, salon, signIn, test } from './env';

const SECTIONS = ['Профиль', 'Бонусы', 'NPS', 'Регистрация', 'Переписка', 'Мессенджеры', 'Заметки', 'Чеки'];

test('the card opens from the list with its eight sections in order', async ({ owner: page }) => {
  await page.goto(`/clients?search=${encodeURIComponent(salon.customerName())}`);
  await page.getByTestId('client-link').first().click();
  await expect(page).toHaveURL(new RegExp(`/clients/${salon.customerId()}$`));
  await expect(page.getByTestId('card-name')).toHaveText(salon.customerName());
  await expect(page.locator('section h3')).toHaveText(SECTIONS);
  await expect(page.getByTestId('profile-segments')).toContainText(salon.segment());
  await expect(page.getByTestId('unavailable')).toHaveCount(0);
});

test('accruing and writing off bonuses changes the balance and the operations', async ({ owner: page }) => {
  await page.goto(`/clients/${salon.customerId()}`);
  const bonuses = page.getByTestId('section-bonuses');
  await expect(bonuses.getByTestId('bonus-balance')).toHaveText('0');

  await bonuses.getByTestId('accrue').click();
  await page.getByTestId('bonus-amount').fill('150');
  await page.getByTestId('bonus-comment').fill('За отзыв');
  await page.getByTestId('bonus-submit').click();
  await expect(bonuses.getByTestId('bonus-balance')).toHaveText('150');
  await expect(bonuses.getByTestId('bonus-operations')).toContainText('За отзыв');
  await expect(bonuses.getByTestId('bonus-operations')).toContainText('+150');

  // More than the balance: refused, said in words, nothing changed.
  await bonuses.getByTestId('write-off').click();
  await page.getByTestId('bonus-amount').fill('500');
  await page.getByTestId('bonus-submit').click();
  await expect(page.getByTestId('action-error')).toContainText(/[а-я]/);
  await expect(page.getByTestId('action-error')).not.toContainText(/^[A-Z_]+$/);
  await page.getByTestId('bonus-amount').fill('40');
  await page.getByTestId('bonus-comment').fill('Подарок');
  await page.getByTestId('bonus-submit').click();
  await expect(bonuses.getByTestId('bonus-balance')).toHaveText('110');
  await expect(bonuses.getByTestId('bonus-operations')).toContainText('−40');
});

test('a message written in a chosen channel shows in Переписка', async ({ owner: page }) => {
  await page.goto(`/clients/${salon.customerId()}`);
  await page.getByTestId('write-message').click();
  await page.getByTestId('message-channel').click();
  await page.getByRole('option', { name: 'Telegram' }).click();
  await page.getByTestId('message-text').fill('Ждём вас в субботу в 12:00');
  await page.getByTestId('message-send').click();
  await expect(page.getByTestId('section-conversation')).toContainText('Ждём вас в субботу в 12:00');
  await expect(page.getByTestId('section-conversation')).toContainText('Telegram');
});

test('a note is added, edited and deleted', async ({ owner: page }) => {
  await page.goto(`/clients/${salon.customerId()}`);
  const notes = page.getByTestId('section-notes');
  await notes.getByTestId('note-text').fill('Любит капучино');
  await notes.getByTestId('add-note').click();
  const note = notes.getByTestId('note').filter({ hasText: 'Любит капучино' });
  await expect(note).toHaveCount(1);

  await note.getByTestId('edit-note').click();
  await note.getByTestId('note-edit-text').fill('Любит капучино без сахара');
  await note.getByTestId('save-note').click();
  await expect(notes.getByTestId('note-body').filter({ hasText: 'без сахара' })).toHaveCount(1);

  const edited = notes.getByTestId('note').filter({ hasText: 'без сахара' });
  await edited.getByTestId('delete-note').click();
  await edited.getByTestId('confirm-delete-note').click();
  await expect(notes.getByTestId('note').filter({ hasText: 'без сахара' })).toHaveCount(0);
});

test('the default messenger is set and a messenger is unsubscribed', async ({ owner: page }) => {
  await page.goto(`/clients/${salon.customerId()}`);
  const messengers = page.getByTestId('section-messengers');
  const whatsapp = messengers.getByTestId('messenger-WHATSAPP');
  await whatsapp.getByTestId('make-default').click();
  await expect(whatsapp).toContainText('по умолчанию');

  await whatsapp.getByTestId('unsubscribe').click();
  await page.getByTestId('confirm-unsubscribe').click();
  await expect(whatsapp.getByTestId('messenger-status')).toHaveText('неактивен');
  await expect(messengers.getByTestId('messenger-TELEGRAM').getByTestId('messenger-status')).toHaveText('активен');
  if (salon.screenshots()) {
    // The whole card in one window (a full-page shot would repeat the fixed header), once
    // the "done" notes are gone.
    await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1280, height });
    await page.screenshot({ path: `${salon.screenshots()}/client-card.png` });
  }
});

test('a VIEWER sees the card and the list without any write button', async ({ page }) => {
  await signIn(page, salon.viewerToken());
  await page.goto(`/clients/${salon.customerId()}`);
  await expect(page.getByTestId('card-name')).toHaveText(salon.customerName());
  await expect(page.locator('section h3')).toHaveText(SECTIONS);
  for (const button of ['edit-profile', 'assign-segments', 'accrue', 'write-off', 'write-message', 'add-note', 'edit-note', 'delete-note', 'make-default', 'unsubscribe']) {
    await expect(page.getByTestId(button)).toHaveCount(0);
  }
  await expect(page.getByTestId('role')).toContainText('только просмотр');
});

test('on a phone-sized screen the card reads in one column', async ({ owner: page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/clients/${salon.customerId()}`);
  const profile = await page.getByTestId('section-profile').boundingBox();
  const bonuses = await page.getByTestId('section-bonuses').boundingBox();
  expect(profile && bonuses && bonuses.y > profile.y + profile.height - 1).toBe(true);
  expect(profile!.width).toBeLessThanOrEqual(390);
});
