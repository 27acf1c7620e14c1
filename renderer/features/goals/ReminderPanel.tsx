import { useState } from 'react';
import { DAY_NAMES, WEEKDAYS } from '../../../shared/time/calendar';
import { useAppStore } from '../../store';
import { useFocusStore } from '../focus/focusStore';
import { useGoalsStore } from './goalsStore';
import { formatWhen } from './format';
import { describeTimeZone } from '../../../shared/time/zoneSearch';

/** The weekly check-in reminder: on or off, a weekday and a time in the person's time zone. */
export function ReminderPanel({ onClose }: { readonly onClose: () => void }) {
  const reminder = useGoalsStore((state) => state.reminder);
  const dueAt = useGoalsStore((state) => state.reminderDueAt);
  const problem = useGoalsStore((state) => state.reminderProblem);
  const saveReminder = useGoalsStore((state) => state.saveReminder);
  const timeZone = useAppStore((state) => state.profile?.timeZone);
  const workingHours = useFocusStore((state) => state.snapshot?.config.workingHours ?? null);
  const [draft, setDraft] = useState(reminder);
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [saved, setSaved] = useState(false);

  const save = async () => {
    const result = await saveReminder(draft);
    setErrors(result.ok ? {} : result.error.fields);
    setSaved(result.ok);
  };

  return (
    <div className="reminder-panel" role="region" aria-label="Weekly check-in reminder">
      <h2>Weekly check-in reminder</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })}
        />
        Remind me to check in every week
      </label>
      <div className="field-row">
        <div className="field">
          <label htmlFor="reminder-day">Day</label>
          <select
            id="reminder-day"
            className="select"
            value={draft.weekday}
            disabled={!draft.enabled}
            onChange={(event) =>
              setDraft({ ...draft, weekday: event.target.value as typeof draft.weekday })
            }
          >
            {WEEKDAYS.map((day) => (
              <option key={day} value={day}>
                {DAY_NAMES[day]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="reminder-time">Time</label>
          <input
            id="reminder-time"
            className="input"
            type="time"
            value={draft.time}
            disabled={!draft.enabled}
            aria-invalid={errors.time ? true : undefined}
            onChange={(event) => setDraft({ ...draft, time: event.target.value })}
          />
        </div>
      </div>
      {errors.time && (
        <p className="field-error" role="alert">
          {errors.time}
        </p>
      )}
      <p className="hint">
        In your time zone{timeZone ? ` (${describeTimeZone(timeZone)})` : ''}.{' '}
        {workingHours
          ? 'Outside your working hours (Focus settings), the reminder waits until they start.'
          : 'Set working hours in Focus to keep reminders out of your free time.'}
      </p>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {!problem && (saved || (reminder.enabled && dueAt)) && (
        <p className="hint" role="status">
          {saved ? 'Saved. ' : ''}
          {dueAt ? `Next reminder: ${formatWhen(dueAt)}.` : 'The reminder is off.'}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button primary" onClick={() => void save()}>
          Save reminder
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
