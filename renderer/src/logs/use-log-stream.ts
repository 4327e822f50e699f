import { useEffect, useState } from 'react';
import type { LogTarget } from '../../../shared/log';
import { useLogs } from '../stores/log-store';

/** Follow a target while the view shows it: opened on mount, closed on unmount or when the target changes. */
export function useLogStream(target: LogTarget | null): string | null {
  // The target by value: a new object with the same fields keeps the stream.
  const wanted = target ? JSON.stringify(target) : null;
  const [key, setKey] = useState<string | null>(null);
  useEffect(() => {
    if (!wanted) return;
    const opened = useLogs.getState().open(JSON.parse(wanted) as LogTarget);
    setKey(opened);
    return () => {
      useLogs.getState().close(opened);
      setKey(null);
    };
  }, [wanted]);
  return key;
}
