import type { ReactNode } from 'react';

interface EmptyStateProps {
  readonly glyph: string;
  readonly title: string;
  readonly children: ReactNode;
  readonly action?: ReactNode;
}

/** What a section shows when it has nothing yet: what it is for and how to start. */
export function EmptyState({ glyph, title, children, action }: EmptyStateProps) {
  return (
    <div className="empty" role="status">
      <div>
        <div className="glyph" aria-hidden="true">
          {glyph}
        </div>
        <h2>{title}</h2>
        <p>{children}</p>
        {action}
      </div>
    </div>
  );
}
