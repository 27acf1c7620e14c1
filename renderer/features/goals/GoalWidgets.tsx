import type { Health } from '../../../shared/model';
import { HEALTH_LABEL, percentText } from './format';

/** Health shown by color and by words, so it reads without color too. */
export function HealthBadge({ health }: { readonly health: Health | null }) {
  if (!health) return <span className="health health-none">No check-in yet</span>;
  return (
    <span className={`health health-${health}`}>
      <span className="health-dot" aria-hidden="true" />
      {HEALTH_LABEL[health]}
    </span>
  );
}

/** A horizontal progress bar with its percentage as text. */
export function ProgressBar({
  progress,
  label,
  health,
  size = 'normal',
}: {
  readonly progress: number | null;
  readonly label: string;
  readonly health?: Health | null;
  readonly size?: 'normal' | 'small';
}) {
  const percent = progress === null ? 0 : Math.round(progress * 100);
  return (
    <div className={`progress progress-${size}`}>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress === null ? undefined : percent}
        aria-valuetext={progress === null ? 'not measurable yet' : `${percent}%`}
      >
        <div
          className={`progress-fill${health ? ` fill-${health}` : ''}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <span className="progress-text">{percentText(progress)}</span>
    </div>
  );
}
