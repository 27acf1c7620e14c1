import type { ReactNode } from 'react';
import { type LucideIcon } from 'lucide-react';

interface EmptyStateProps {
  /** An icon (lucide), drawn large and muted above the title. */
  readonly glyph: LucideIcon;
  readonly title: string;
  readonly children: ReactNode;
  readonly action?: ReactNode;
}

/** What a section shows when it has nothing yet: what it is for and how to start. */
export function EmptyState({ glyph: Glyph, title, children, action }: EmptyStateProps) {
  return (
    <div className="empty" role="status">
      <div>
        <Glyph className="glyph" size={32} strokeWidth={1.5} aria-hidden="true" />
        <h2>{title}</h2>
        <p>{children}</p>
        {action}
      </div>
    </div>
  );
}
