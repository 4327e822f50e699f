import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the native element: it traps focus, makes the page behind
 * it inert, and Escape closes it.
 */
export function Dialog({
  label,
  onClose,
  children,
  wide,
}: {
  label: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      role="dialog"
      aria-label={label}
      className={wide ? 'dialog wide' : 'dialog'}
      onCancel={(event) => {
        // Escape: let React unmount it rather than the browser closing it behind React's back.
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2>{label}</h2>
        <button type="button" className="quiet" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </div>
      {children}
    </dialog>
  );
}
