// Jest reporter: records each run's counts so `npm test` can print one closing line
// over the unit and integration runs together (scripts/test-summary.mjs).
const { mkdirSync, writeFileSync } = require('fs');
const { join } = require('path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = join(__dirname, '..', '..', 'var', 'test-results');
    mkdirSync(dir, { recursive: true });
    const name = `${process.pid}-${Date.now()}.json`;
    writeFileSync(
      join(dir, name),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests,
        skipped: results.numPendingTests + results.numTodoTests,
      }),
    );
  }
}

module.exports = SummaryReporter;
