import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../store';

/** Switch between the workspaces on this device, or create a new one. */
export function WorkspaceSwitcher() {
  const workspaces = useAppStore((state) => state.workspaces);
  const activeId = useAppStore((state) => state.activeWorkspaceId);
  const openWorkspace = useAppStore((state) => state.openWorkspace);
  const createWorkspace = useAppStore((state) => state.createWorkspace);
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const active = workspaces.find((workspace) => workspace.id === activeId);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    rootRef.current
      ?.querySelector<HTMLElement>('[role="option"][aria-selected="true"], [role="option"]')
      ?.focus();
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const close = () => {
    setOpen(false);
    setCreating(false);
    setName('');
    setError(null);
  };

  const submit = async () => {
    const result = await createWorkspace(name);
    if (result.ok) close();
    else setError(result.error.message);
  };

  return (
    <div
      className="switcher"
      ref={rootRef}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          close();
          rootRef.current?.querySelector<HTMLButtonElement>('.switcher-button')?.focus();
        }
        if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && open) {
          event.preventDefault();
          const options = [...(rootRef.current?.querySelectorAll<HTMLElement>('.menu-item') ?? [])];
          const index = options.indexOf(document.activeElement as HTMLElement);
          const next =
            options[
              (index + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length
            ];
          next?.focus();
        }
      }}
    >
      <button
        type="button"
        className="switcher-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <span className="avatar" style={{ background: '#64748b' }} aria-hidden="true">
          {(active?.name ?? '?').charAt(0).toUpperCase()}
        </span>
        {/* The name is what is on screen, with the rest for screen readers only (speech input
            users say what they see). */}
        <span className="visually-hidden">Workspace: </span>
        <span>{active?.name ?? 'No workspace'}</span>
        <span className="visually-hidden">. Switch workspace</span>
        <span className="chevron" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div className="switcher-menu">
          <div role="listbox" aria-label="Workspaces">
            {workspaces.map((workspace) => (
              <button
                key={workspace.id}
                type="button"
                role="option"
                className="menu-item"
                aria-selected={workspace.id === activeId}
                onClick={() => {
                  close();
                  void openWorkspace(workspace.id);
                }}
              >
                {workspace.id === activeId ? '✓' : ' '} {workspace.name}
              </button>
            ))}
          </div>
          <div className="menu-separator" />
          {creating ? (
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void submit();
              }}
              style={{ padding: 4 }}
            >
              <input
                className="input"
                autoFocus
                aria-label="New workspace name"
                placeholder="Workspace name"
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
              {error && (
                <p className="field-error" role="alert">
                  {error}
                </p>
              )}
            </form>
          ) : (
            <button type="button" className="menu-item" onClick={() => setCreating(true)}>
              + New workspace
            </button>
          )}
        </div>
      )}
    </div>
  );
}
