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
    warnings.add('jvm-properties', `dropped ${dropped} JVM system properties of a <testsuite> (class paths, user.*, env.*, …); kept ${[...JVM_KEEP].join(', ')}`);
  }
}

/**
 * Which suite properties describe the whole run: a key every declaring suite
 * gives the same value becomes a run tag; a key whose value differs between
 * suites stays on the results of each suite (nearest suite wins).
 */
export function runLevelKeys(blocks: readonly Map<string, string>[]): Set<string> {
  const values = new Map<string, Set<string>>();
  for (const props of blocks) {
    for (const [k, v] of props) {
      const set = values.get(k) ?? new Set<string>();
      set.add(v);
      values.set(k, set);
    }
  }
  return new Set([...values].filter(([, set]) => set.size === 1).map(([k]) => k));
}
