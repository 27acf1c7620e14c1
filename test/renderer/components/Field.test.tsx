import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { Field, FieldError } from '../../../renderer/components/Field';

describe('Field', () => {
  it('names its control by the label and lays out label, control and hint as forms did', () => {
    const html = renderToStaticMarkup(
      <Field id="goal-start" label="Period start" hint="First day of the period.">
        <input className="input" type="date" />
      </Field>,
    );
    expect(html).toBe(
      '<div class="field"><label for="goal-start">Period start</label>' +
        '<input class="input" type="date" id="goal-start" aria-describedby="goal-start-hint"/>' +
        '<span id="goal-start-hint" class="hint">First day of the period.</span></div>',
    );
  });

  it('marks the control invalid and described by the reason it was refused', () => {
    const html = renderToStaticMarkup(
      <Field id="kr-new-title" label="Key result" error="A key result needs a title.">
        <input className="input" />
      </Field>,
    );
    expect(html).toContain(
      'id="kr-new-title" aria-invalid="true" aria-describedby="kr-new-title-error"',
    );
    expect(html).toContain(
      '<p id="kr-new-title-error" class="field-error" role="alert">A key result needs a title.</p>',
    );
  });

  it('marks the control invalid when its error is shown under the row, and keeps its own flag', () => {
    const row = renderToStaticMarkup(
      <Field id="kr-new-weight" label="Weight" size="narrow" invalid>
        <input className="input" />
      </Field>,
    );
    expect(row).toContain('<div class="field narrow">');
    expect(row).toContain('aria-invalid="true"');
    expect(row).not.toContain('field-error');
    const own = renderToStaticMarkup(
      <Field id="focus-timeZone" label="Time zone" below={<span className="field-error">Bad</span>}>
        <input className="input" aria-invalid={false} />
      </Field>,
    );
    expect(own).toContain('aria-invalid="false"');
    expect(own).toContain('<span class="field-error">Bad</span></div>');
  });

  it('shows no error element when nothing was refused', () => {
    expect(renderToStaticMarkup(<FieldError message={null} />)).toBe('');
    expect(renderToStaticMarkup(<FieldError message="No." />)).toBe(
      '<p class="field-error" role="alert">No.</p>',
    );
  });
});
