import { nextTurn } from '../domain/iterables.ts';
import { stripAnsi, TagBag } from './fields.ts';
import { attemptsOf, inherited, type Case, type Suite } from './junit-model.ts';
import { runLevelKeys } from './junit-properties.ts';
import type { ResultList } from './results.ts';
import type { Warnings } from './warnings.ts';

/** Test cases mapped between two turns of the event loop. */
const CASES_PER_TURN = 2_000;

/**
 * Adds every testcase to `results` (tags from its own properties, its file
 * and its suites' properties that are not the run's) and returns the
 * properties every testcase shares, which become run tags. Lets the event
 * loop turn every CASES_PER_TURN cases: a report may hold a million.
 */
export async function addJUnitCases(
  cases: readonly Case[],
  suites: readonly Suite[],
  results: ResultList,
  warnings: Warnings,
  replacedEsc: boolean,
): Promise<Map<string, string>> {
  const inheritedProps = new Map<Suite, Map<string, string>>();
  const propsOf = (suite: Suite): Map<string, string> => {
    let props = inheritedProps.get(suite);
    if (props === undefined) {
      props = new Map([...(suite.parent ? propsOf(suite.parent) : []), ...suite.props]);
      inheritedProps.set(suite, props);
    }
    return props;
  };
  const runProps = runLevelKeys(
    cases.map((c) => propsOf(c.suite)),
    suites.map((s) => s.props),
  );
  for (const [i, c] of cases.entries()) {
    if (i > 0 && i % CASES_PER_TURN === 0) await nextTurn();
    const suitePath = inherited(c.suite, (s) => s.path) ?? c.suite.name ?? '(no suite)';
    const tags = new TagBag(warnings, `testcase "${c.name}"`);
    for (const [k, v] of c.props) tags.set(k, v);
    const file = c.file ?? inherited(c.suite, (s) => s.file);
    if (file !== null) tags.set('file', file, false);
    for (const [k, v] of propsOf(c.suite)) if (!runProps.has(k)) tags.set(k, v, false);
    const attempts = attemptsOf(c).map((a) => ({
      ...a,
      message: stripAnsi(a.message, replacedEsc),
      stackTrace: stripAnsi(a.stackTrace, replacedEsc),
    }));
    if (c.reruns.length > 0 && attempts[c.flaky.length]?.status === 'PASSED') {
      warnings.add(
        'rerun-passed',
        `testcase at line ${c.line} has rerun elements but no failure; its last attempt is the last rerun`,
      );
    }
    results.add({
      suite: suitePath,
      className: c.className,
      name: c.name,
      worker: inherited(c.suite, (s) => s.hostname),
      hardware: null,
      tags: tags.toObject(),
      metrics: c.assertions === null ? [] : [{ name: 'assertions', value: c.assertions }],
      attempts,
    });
  }
  return runProps;
}
