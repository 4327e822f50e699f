import { useEffect, useRef, useState, type RefObject } from 'react';

/** The width of an element in CSS pixels, kept up to date as it resizes (for charts drawn at their real size). */
export function useWidth<T extends HTMLElement>(initial = 300): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(120, Math.floor(element.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
