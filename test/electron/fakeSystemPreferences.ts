/** systemPreferences' Touch ID: `available` and what the next prompt answers; prompts are counted. */
export class FakeSystemPreferences {
  available = false;
  answer: 'match' | 'refuse' = 'match';
  readonly prompts: string[] = [];
  canPromptTouchID(): boolean {
    return this.available;
  }
  promptTouchID(reason: string): Promise<void> {
    this.prompts.push(reason);
    return this.answer === 'match'
      ? Promise.resolve()
      : Promise.reject(new Error('Touch ID: user cancel'));
  }
}
