// @vitest-environment happy-dom
/**
 * Notices and views: news (info) is dropped when the person moves to another section, so it never
 * follows them there; warnings and errors stay until closed; staying in the section keeps news.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../../../renderer/store';
import { resetAppStore } from '../storeHarness';

const state = () => useAppStore.getState();
const messages = () => state().notices.map((notice) => `${notice.tone}: ${notice.message}`);

describe('notices across views', () => {
  afterEach(resetAppStore);

  it('drops news on a change of section and keeps warnings and errors', () => {
    state().setSection('notes');
    state().notify('info', 'Imported 3 notes.');
    state().notify('warning', 'One note was damaged and is shown read-only.');
    state().notify('error', 'Saving failed: the disk is full.');
    state().setSection('notes');
    expect(messages()).toHaveLength(3);
    state().setSection('goals');
    expect(messages()).toEqual([
      'warning: One note was damaged and is shown read-only.',
      'error: Saving failed: the disk is full.',
    ]);
    state().notify('info', 'Goal exported.');
    state().setSection('decisions');
    expect(messages()).not.toContain('info: Goal exported.');
  });
});
