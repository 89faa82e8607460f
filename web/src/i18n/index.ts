import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

import { en } from './en';
import { ru } from './ru';

const LANGUAGE_KEY = 'clientcard.language';

export const LANGUAGES = ['ru', 'en'] as const;

export function setupI18n(): typeof i18n {
  const saved = typeof window !== 'undefined' ? window.localStorage.getItem(LANGUAGE_KEY) : null;
  void i18n.use(initReactI18next).init({
    resources: { ru: { translation: ru }, en: { translation: en } },
    lng: saved === 'en' ? 'en' : 'ru',
    fallbackLng: 'ru',
    interpolation: { escapeValue: false },
  });
  return i18n;
}

export function chooseLanguage(language: string): void {
  window.localStorage.setItem(LANGUAGE_KEY, language);
  void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}
