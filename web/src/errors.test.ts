import { GraphQLError } from 'graphql';
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';

import { errorText, sectionFailed } from './errors';
import { setupI18n } from './i18n';

const i18n = setupI18n();
const t = i18n.t.bind(i18n);

describe('errors in words', () => {
  it('puts a sentence for the code before the service explanation', () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError('insufficient balance: 110.00 on account', { extensions: { code: 'BAD_USER_INPUT' } })],
    });
    expect(errorText(error, t)).toBe('Проверьте введённые данные: insufficient balance: 110.00 on account');
  });

  it('never shows an internal error text or a bare code', () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError('internal error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })],
    });
    expect(errorText(error, t)).toBe('Что-то пошло не так');
  });

  it('tells a lost connection apart', () => {
    expect(errorText(new CombinedError({ networkError: new Error('Failed to fetch') }), t)).toBe(
      'Нет связи с сервером, попробуйте ещё раз',
    );
  });

  it('finds the sections a failed service left empty', () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError('the messaging service is unavailable', { path: ['customer', 'messengers'] })],
    });
    expect(sectionFailed(error, ['customer', 'messengers'])).toBe(true);
    expect(sectionFailed(error, ['customer', 'bonuses'])).toBe(false);
    expect(sectionFailed(undefined, ['customer', 'bonuses'])).toBe(false);
  });
});
