import type { Warnings } from './warnings.ts';

// Surefire writes every JVM system property into each <testsuite>: class paths,
// user.dir, env.* … They say nothing about the tests and some may be secrets, so
// a properties block that looks like a JVM dump keeps only a few useful keys.
const JVM_MARKERS = ['java.version', 'java.home', 'java.vm.name'];
const JVM_KEEP = new Set(['java.version', 'java.vendor', 'java.vm.name', 'os.name', 'os.arch', 'os.version']);
const JVM_KEY =
  /^(java|javax|jdk|sun|os|user|file|path|line|awt|native|stdout|stderr|surefire|maven|idea|env|library|guice|classworlds|jna|jboss|kotlin|http|https|ftp|org\.slf4j)\.|^(basedir|localRepository|gopherProxySet|socksNonProxyHosts)$/;

/** Drops a JVM dump's noise from one `<properties>` block, in place. */
export function filterJvmProperties(props: Map<string, string>, warnings: Warnings): void {
  if (!JVM_MARKERS.some((k) => props.has(k))) return;
  let dropped = 0;
  for (const key of [...props.keys()]) {
    if (JVM_KEY.test(key) && !JVM_KEEP.has(key)) {
      props.delete(key);
      dropped += 1;
    }
  }
  if (dropped > 0) {
    warnings.add(
      'jvm-properties',
      `dropped ${dropped} JVM system properties of a <testsuite> (class paths, user.*, env.*, …); kept ${[...JVM_KEEP].join(', ')}`,
    );
  }
}

/**
 * Which suite properties describe the whole run: a key that every testcase
 * inherits with the same value (nearest suite wins) becomes a run tag; any
 * other suite property stays on the results of the suites that declare it.
 * A report without testcases keeps the keys its suites agree on.
 */
export function runLevelKeys(
  caseProps: Iterable<ReadonlyMap<string, string>>,
  suiteProps: readonly ReadonlyMap<string, string>[],
): Map<string, string> {
  let common: Map<string, string> | null = null;
  for (const props of caseProps) {
    if (common === null) common = new Map(props);
    else for (const [k, v] of common) if (props.get(k) !== v) common.delete(k);
    if (common.size === 0) return common;
  }
  if (common !== null) return common;
  const values = new Map<string, string | null>();
  for (const props of suiteProps) {
    for (const [k, v] of props) values.set(k, values.has(k) && values.get(k) !== v ? null : v);
  }
  return new Map([...values].filter((e): e is [string, string] => e[1] !== null));
}
