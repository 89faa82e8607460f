// Running one change from the card: the mutation, a note when it is done, and the error in
// words for the dialog to show when it is not.
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnyVariables, DocumentInput } from 'urql';
import { useMutation } from 'urql';

import { errorText } from '../errors';

export function useAction<Data, Variables extends AnyVariables>(document: DocumentInput<Data, Variables>) {
  const { t } = useTranslation();
  const [state, execute] = useMutation<Data, Variables>(document);
  const [error, setError] = useState<string | null>(null);

  /** True when the change was made. */
  const run = async (variables: Variables): Promise<boolean> => {
    setError(null);
    const result = await execute(variables);
    if (result.error) {
      setError(errorText(result.error, t));
      return false;
    }
    notifications.show({ message: t('actions.done'), color: 'teal', autoClose: 2000 });
    return true;
  };
  return { run, error, running: state.fetching, clearError: () => setError(null) };
}
