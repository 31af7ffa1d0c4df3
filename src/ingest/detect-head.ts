/**
 * What the first bytes of a report say about its format, for `detectFormat`:
 * the root element of an XML file, the first line of a text one.
 */

/**
 * The name of the root element of an XML head (after `<?xml …?>`, comments,
 * processing instructions and a DOCTYPE), `null` when the head ends before
 * it, `''` when the head is not XML at all.
 */
export function xmlRootName(head: string): string | null {
  let i = 0;
  for (;;) {
    while (i < head.length && /\s|\uFEFF/.test(head[i]!)) i++;
    if (i >= head.length) return null;
    if (head[i] !== '<') return '';
    const rest = head.slice(i, i + 9);
    const after = (token: string, from: number): number => {
      const at = head.indexOf(token, from);
      return at < 0 ? -1 : at + token.length;
    };
    let end: number;
    if (rest.startsWith('<?')) end = after('?>', i);
    else if (rest.startsWith('<!--')) end = after('-->', i);
    else if (/^<!doctype/i.test(rest)) {
      const bracket = head.indexOf('[', i);
      const close = head.indexOf('>', i);
      if (close < 0) return null;
      end = bracket >= 0 && bracket < close ? after(']>', bracket) : close + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)[\s/>]/.exec(head.slice(i, i + 256));
      if (m) return m[1]!.slice(m[1]!.indexOf(':') + 1);
      return head.length - i < 256 ? null : '';
    }
    if (end < 0) return null;
    i = end;
  }
}

/** The XML formats by root element; any other root is read as JUnit. */
export const XML_ROOTS: Readonly<Record<string, 'trx' | 'nunit' | 'xunit'>> = {
  TestRun: 'trx',
  'test-run': 'nunit',
  assemblies: 'xunit',
  assembly: 'xunit',
};

/** `go test -json` (test2json) writes one object per line, its first field `Time` (or `Action` without -t). */
export const GO_TEST_JSON = /^\{\s*"(?:Time|Action)"\s*:/;

/** TAP: a version line, a plan, a test point, or a subtest's comment. */
export const TAP_START =
  /^(?:#(?!#teamcity\[)[^\n]*\n\s*)*(?:TAP version \d+|1\.\.\d+|ok\b|not ok\b|# Subtest:|Bail out!)/i;
