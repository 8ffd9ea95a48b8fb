// Mocha's spec reporter plus one closing line, `N passed, N failed`, that CI reads as the suite's result.
// With AKS_POLICY_TEST_SUMMARY set, the counts also go to that file, for a runner outside the editor.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

export class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const passed = runner.stats?.passes ?? 0;
      const failed = runner.stats?.failures ?? 0;
      console.log(`${passed} passed, ${failed} failed`);
      const file = process.env.AKS_POLICY_TEST_SUMMARY;
      if (file) writeFileSync(file, JSON.stringify({ passed, failed }));
    });
  }
}
