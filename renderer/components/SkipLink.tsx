/**
 * "Skip to list": the first stop of the Tab order, past the sidebar to the open section's list
 * (its current item), or to the section's content when it has no list.
 */
export function SkipLink() {
  const skip = () => {
    const main = document.querySelector<HTMLElement>('main');
    const list = main?.querySelector<HTMLElement>('[role="listbox"]');
    const item =
      list?.querySelector<HTMLElement>('[role="option"][tabindex="0"]') ??
      list?.querySelector<HTMLElement>('[role="option"][aria-selected="true"]') ??
      list?.querySelector<HTMLElement>('[role="option"]');
    const target = item ?? list ?? main;
    if (!target) return;
    if (target === main && !main.hasAttribute('tabindex')) main.setAttribute('tabindex', '-1');
    target.focus();
  };
  return (
    <button type="button" className="skip-link" onClick={skip}>
      Skip to list
    </button>
  );
}
