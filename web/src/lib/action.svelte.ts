import { type Problems, problemsOf } from './problems';

/**
 * The state of one thing a person does on a screen (save, invite, vote…):
 * busy while it runs, then either what it did (`message`, for a status line)
 * or why it failed (`problems.form` for an alert, one sentence per field for
 * beside its input). One refusal is shown, never thrown.
 */
export class Action {
  busy = $state(false);
  message = $state<string | null>(null);
  problems = $state<Problems>({});

  /**
   * @param failed what to say when the API never answered
   * @param fields the fields the form shows inputs for (their problems go beside them)
   */
  constructor(
    private readonly failed: string,
    private readonly fields: readonly string[] = [],
  ) {}

  /** The form-level problem, if any. */
  get error(): string | null {
    return this.problems.form ?? null;
  }

  /** Runs `work`; true when it succeeded. `done` says what it did, from its result. */
  async run<T>(work: () => Promise<T>, done?: string | ((result: T) => string)): Promise<boolean> {
    this.busy = true;
    this.message = null;
    this.problems = {};
    try {
      const result = await work();
      if (done !== undefined) this.message = typeof done === 'function' ? done(result) : done;
      return true;
    } catch (error) {
      this.problems = problemsOf(error, this.failed, this.fields);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Forgets the last outcome, e.g. when the form is closed. */
  reset(): void {
    this.message = null;
    this.problems = {};
  }
}
