import { useState } from 'react';
import { Tag } from '../../../shared/schema/records';
import type { Result } from '../../../shared/result';
import { FieldError } from '../../components/Field';

interface TagEditorProps {
  readonly tags: readonly string[];
  readonly disabled?: boolean;
  readonly onAdd: (tag: string) => Result<unknown>;
  readonly onRemove: (tag: string) => Result<unknown>;
}

/** Add tags by typing and pressing Enter; remove them with their ✕ button. */
export function TagEditor({ tags, disabled, onAdd, onRemove }: TagEditorProps) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const parsed = Tag.safeParse(draft.replace(/^#/, ''));
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Invalid tag.');
      return;
    }
    const result = onAdd(parsed.data);
    setError(result.ok ? null : result.error.message);
    if (result.ok) setDraft('');
  };
  return (
    <div>
      <div className="tags">
        {tags.map((tag) => (
          <span key={tag} className="tag">
            #{tag}
            {!disabled && (
              <button type="button" aria-label={`Remove tag ${tag}`} onClick={() => onRemove(tag)}>
                ✕
              </button>
            )}
          </span>
        ))}
        {!disabled && (
          <input
            className="input"
            style={{ width: 160 }}
            placeholder="Add a tag"
            aria-label="Add a tag"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && draft.trim()) {
                event.preventDefault();
                add();
              }
            }}
          />
        )}
      </div>
      <FieldError message={error} />
    </div>
  );
}
