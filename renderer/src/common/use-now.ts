import { useEffect, useState } from 'react';

/** The current time, ticking every `everyMs`, for "4 s ago" labels that stay true. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
