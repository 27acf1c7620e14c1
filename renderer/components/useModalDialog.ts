import { useEffect, useRef } from 'react';

/**
 * A native modal `<dialog>` that follows `open`: shown with `showModal()` (so focus stays inside
 * and Escape closes it) and closed when `open` turns false. Returns the ref for the element.
 */
export function useModalDialog(open: boolean) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return dialog;
}
