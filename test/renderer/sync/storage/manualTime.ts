/**
 * A scheduler and clock the test moves by hand, for the keepers that store in the background
 * (the notes index, the first screen): `advance` runs every task that has come due, in order.
 */
export function manualTime() {
  let at = 0;
  const tasks: Array<{ at: number; run: () => void; handle: number }> = [];
  let next = 1;
  return {
    now: () => at,
    schedule: (run: () => void, ms: number) => {
      tasks.push({ at: at + ms, run, handle: next });
      return next++;
    },
    cancel: (handle: unknown) => {
      const i = tasks.findIndex((task) => task.handle === handle);
      if (i >= 0) tasks.splice(i, 1);
    },
    advance(ms: number) {
      at += ms;
      for (;;) {
        const due = tasks.filter((task) => task.at <= at).sort((a, b) => a.at - b.at)[0];
        if (!due) return;
        tasks.splice(tasks.indexOf(due), 1);
        due.run();
      }
    },
  };
}
