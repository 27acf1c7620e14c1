/**
 * The question before removing a member or a lost device (docs/PROTOCOL.md §8.7): it says what
 * happens — they keep what they already have, a new workspace key is made and sealed to every
 * remaining device, everyone moves to it — and that the removal is signed and shown to everyone.
 */
import { useState } from 'react';
import { ModalDialog } from '../../components/ModalDialog';
import { FieldError } from '../../components/Field';

export interface RemovalTarget {
  readonly kind: 'member' | 'device';
  /** The member id, or the device's signing key. */
  readonly id: string;
  /** "Bea", or "Bea's device 21FE 31DF …". */
  readonly label: string;
  /** How many devices will receive the new key. */
  readonly remaining: number;
}

export function RemovalDialog(props: {
  readonly target: RemovalTarget | null;
  onConfirm(target: RemovalTarget): string | null;
  onClose(): void;
}) {
  const { target, onConfirm, onClose } = props;
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  return (
    <ModalDialog
      open={target !== null}
      labelledBy="removal-heading"
      describedBy="removal-text"
      onCancel={close}
    >
      {target && (
        <>
          <h2 id="removal-heading">
            {target.kind === 'member'
              ? `Remove ${target.label} from the team?`
              : `Remove ${target.label} (lost)?`}
          </h2>
          <div id="removal-text">
            <p>
              {target.kind === 'member'
                ? `${target.label} keeps everything already on their devices, but gets nothing new: `
                : 'Whoever has that device keeps what is already on it, but gets nothing new: '}
              Outpost makes a new workspace key, seals it to{' '}
              {target.remaining === 1
                ? 'the one remaining device'
                : `each of the ${target.remaining} remaining devices`}
              , and everyone moves to it as their device comes online. What the removed{' '}
              {target.kind === 'member' ? 'person writes' : 'device writes'} from now on reaches
              nobody.
            </p>
            <p>
              Any member can remove anyone; the removal is signed by this device and everyone sees
              who did it and when. To come back, someone lets them back in here and gives them a new
              invite code.
            </p>
          </div>
          <FieldError message={error} />
          <div className="form-actions">
            <button
              type="button"
              className="button danger"
              onClick={() => {
                const problem = onConfirm(target);
                if (problem) setError(problem);
                else close();
              }}
            >
              {target.kind === 'member' ? 'Remove from team' : 'Remove this device'}
            </button>
            <button type="button" className="button" autoFocus onClick={close}>
              Cancel
            </button>
          </div>
        </>
      )}
    </ModalDialog>
  );
}
