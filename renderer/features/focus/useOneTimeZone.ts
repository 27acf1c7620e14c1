/**
 * One time zone (issue 21): the person's profile zone is the only one. The focus service keeps a
 * zone in its config because it computes working hours on its own (the timer runs in the main
 * process); this hook keeps that zone equal to the profile's, so Settings, working hours, the
 * timer, reminders and backups never disagree ("Settings said Asia/Saigon, Focus still UTC").
 */
import { useEffect } from 'react';
import { sameTimeZone } from '../../../shared/time/zoneSearch';
import { useAppStore } from '../../store';
import { useFocusStore } from './focusStore';

export function useFocusFollowsProfileZone(): void {
  const profileZone = useAppStore((state) => state.profile?.timeZone);
  const timerZone = useFocusStore((state) => state.snapshot?.config.timeZone);
  useEffect(() => {
    if (!profileZone || !timerZone || sameTimeZone(profileZone, timerZone)) return;
    void useFocusStore
      .getState()
      .updateConfig({ config: { timeZone: profileZone } })
      .then((result) => {
        const message = !result.ok
          ? result.error.message
          : result.value.saved
            ? null
            : result.value.message;
        if (message) useAppStore.getState().notify('error', message);
      });
  }, [profileZone, timerZone]);
}
