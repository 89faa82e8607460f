import { MantineProvider } from '@mantine/core';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { setupI18n } from '../i18n';
import { Section } from './Section';

setupI18n();
afterEach(cleanup);

function renderSection(unavailable: boolean) {
  return render(
    <MantineProvider>
      <Section id="bonuses" title="Бонусы" unavailable={unavailable} actions={<button>Начислить</button>}>
        <p>На счёте 110</p>
      </Section>
    </MantineProvider>,
  );
}

describe('a section of the card', () => {
  it('shows its content and its actions when its service answered', () => {
    renderSection(false);
    expect(screen.getByRole('region', { name: 'Бонусы' })).toHaveTextContent('На счёте 110');
    expect(screen.getByRole('button', { name: 'Начислить' })).toBeInTheDocument();
    expect(screen.queryByText('временно недоступно')).toBeNull();
  });

  it('says it is temporarily unavailable, without its actions, when its service failed', () => {
    renderSection(true);
    expect(screen.getByText('временно недоступно')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Начислить' })).toBeNull();
    expect(screen.queryByText('На счёте 110')).toBeNull();
  });
});
