/** First run: what each section of Outpost is for, one sentence each. */
const SECTIONS: ReadonlyArray<readonly [string, string]> = [
  [
    'Notes',
    'Write and link notes with [[ — they work offline and merge with your teammates’ edits.',
  ],
  ['Goals', 'Set objectives with key results, check in on progress and see who is on pace.'],
  ['Decisions', 'Propose a decision, gather consent or votes, and keep why it was made.'],
  ['Focus', 'A focus and break timer that respects your working hours and time zone.'],
  ['Sync', 'Invite teammates with a code; laptops sync directly, no server keeps your data.'],
];

export function SectionsIntro() {
  return (
    <section className="sections-intro" aria-labelledby="sections-intro-heading">
      <h2 id="sections-intro-heading">What’s inside</h2>
      <dl>
        {SECTIONS.map(([name, what]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
