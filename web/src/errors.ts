// What went wrong, said in words: the API's codes become a sentence in the page's language,
// with the service's own explanation after it when it gave one.
import type { CombinedError } from 'urql';
import type { TFunction } from 'i18next';

const KNOWN = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'SERVICE_UNAVAILABLE',
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
]);

export function errorText(error: CombinedError, t: TFunction): string {
  if (error.networkError) return t('errors.network');
  const [first] = error.graphQLErrors;
  if (!first) return t('errors.unknown');
  const code = String(first.extensions?.code ?? '');
  const headline = KNOWN.has(code) ? t(`errors.${code}`) : t('errors.unknown');
  const detail = first.message && code !== 'INTERNAL_SERVER_ERROR' ? first.message : '';
  return detail ? `${headline}: ${detail}` : headline;
}

/** Whether the part of an answer at `path` is missing because its service failed. */
export function sectionFailed(error: CombinedError | undefined, path: string[]): boolean {
  if (!error) return false;
  return error.graphQLErrors.some((e) => {
    const at = (e.path ?? []).map(String);
    return path.every((part, i) => at[i] === part);
  });
}
