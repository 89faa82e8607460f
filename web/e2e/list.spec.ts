// The list: count, pages, order, search as typed by a merchant, and the filter in the URL.
import { expect, salon, test } from './env';

test('the list shows every client of the salon over keyset pages', async ({ owner: page }) => {
  await page.goto('/clients');
  await expect(page.getByTestId('total-count')).toContainText(String(salon.clients()));
  await expect(page.getByTestId('client-row')).toHaveCount(50);
  await expect(page.getByTestId('page-number')).toHaveText('Страница 1 из 2');
  const firstPage = await page.getByTestId('client-link').allTextContents();

  await page.getByTestId('next-page').click();
  await expect(page.getByTestId('page-number')).toHaveText('Страница 2 из 2');
  await expect(page.getByTestId('client-row')).toHaveCount(salon.clients() - 50);
  await expect(page.getByTestId('next-page')).toBeDisabled();
  const secondPage = await page.getByTestId('client-link').allTextContents();
  expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);

  await page.getByTestId('previous-page').click();
  await expect(page.getByTestId('client-link').first()).toHaveText(firstPage[0]);
  if (salon.screenshots()) {
    await page.screenshot({ path: `${salon.screenshots()}/clients-list.png` });
  }
});

test('a click on a column orders the list by it, both ways, and the order is in the URL', async ({ owner: page }) => {
  await page.goto('/clients');
  const numbers = async () =>
    (await page.getByTestId('client-link').allTextContents())
      .map((name) => /^Клиент (\d+)$/.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);

  await page.getByTestId('sort-NAME').click();
  await expect(page).toHaveURL(/sort=NAME&dir=DESC/);
  await expect(page.getByRole('columnheader', { name: /Клиент/ })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(numbers).toEqual([...(await numbers())].sort((a, b) => b - a));

  await page.getByTestId('sort-NAME').click();
  await expect(page).toHaveURL(/sort=NAME&dir=ASC/);
  await expect(page.getByRole('columnheader', { name: /Клиент/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await numbers())[0]).toBe(1);
  const ascending = await numbers();
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
});

test('a phone typed as dialled at home (8 9…) finds its client as the typing pauses', async ({ owner: page }) => {
  await page.goto('/clients');
  const digits = salon.customerPhone().slice(2); // +7 dropped: 10 digits
  const typed = `8 ${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6, 8)}`;
  await page.getByTestId('search').pressSequentially(typed, { delay: 30 });
  await expect(page.getByTestId('client-row')).toHaveCount(1);
  await expect(page.getByTestId('client-link')).toHaveText(salon.customerName());
  await expect(page).toHaveURL(new RegExp(`search=${encodeURIComponent(typed).replace(/%20/g, '(\\+|%20)')}`));
});

test('the filter panel narrows the list and a link reproduces the view', async ({ owner: page }) => {
  await page.goto('/clients');
  await page.getByTestId('open-filter').click();
  // The segments are offered once they are known (a click before would open an empty list).
  const segments = page.getByTestId('filter-segmentIds');
  await expect(segments).toBeEnabled();
  await segments.click();
  await page.getByRole('option', { name: salon.segment() }).click();
  await page.getByTestId('filter-gender').click({ force: true });
  await page.getByRole('option', { name: 'Женский' }).click();
  await page.getByTestId('filter-apply').click();

  await expect(page).toHaveURL(/segmentIds=.+&gender=FEMALE|gender=FEMALE.*segmentIds=/);
  await expect(page.getByTestId('client-row')).toHaveCount(1);
  await expect(page.getByTestId('client-link')).toHaveText(salon.customerName());
  await expect(page.getByTestId('open-filter')).toHaveText('Фильтр (2)');

  // The same address in a new page shows the same clients.
  const link = page.url();
  const again = await page.context().newPage();
  await again.goto(link);
  await expect(again.getByTestId('client-row')).toHaveCount(1);
  await expect(again.getByTestId('total-count')).toContainText('1');
});
