/**
 * A modal question (the native <dialog> shown with showModal, so focus stays in it and the page
 * behind is inert) that is open exactly while `open` is true. Escape asks `onCancel` rather than
 * closing by itself, so the state that opened the dialog stays the one truth about it.
 */
import type { ReactNode } from 'react';
import { useModalDialog } from './useModalDialog';
import './modalDialog.css';

export function ModalDialog(props: {
  readonly open: boolean;
  readonly className?: string;
  readonly labelledBy: string;
  readonly describedBy?: string;
  onCancel(): void;
  readonly children: ReactNode;
}) {
  const { open, className, labelledBy, describedBy, onCancel, children } = props;
  const dialog = useModalDialog(open);

  return (
    <dialog
      ref={dialog}
      className={className ? `modal-question ${className}` : 'modal-question'}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {open && children}
    </dialog>
  );
}
