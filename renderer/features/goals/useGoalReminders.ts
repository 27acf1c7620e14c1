import { useEffect } from 'react';
import { useAppStore } from '../../store';
import { useGoalsStore } from './goalsStore';

/** Runs the weekly check-in reminder whichever section is open, once the profile is known. */
export function useGoalReminders(): void {
  const timeZone = useAppStore((state) => state.profile?.timeZone);
  useEffect(() => {
    if (timeZone) useGoalsStore.getState().loadReminder();
  }, [timeZone]);
}
