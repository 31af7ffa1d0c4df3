import { describe, expect, it } from 'vitest';
import { formatTestList, pytestNodeId } from '../../src/report/test-list.ts';

const login = {
  id: 'a1b2',
  suite: 'tests.test_login',
  className: 'tests.test_login.TestLogin',
  name: 'test_ok[admin]',
};
const plain = { id: 'c3d4', suite: 'tests.test_cart', className: 'tests.test_cart', name: 'test_total' };
const java = { id: 'e5f6', suite: 'com.shop.LoginTest', className: 'com.shop.LoginTest', name: 'logsIn' };
const go = { id: '0a0b', suite: 'shop/cart', className: null, name: 'TestTotal/empty (cart)' };
const jest = { id: '9f9f', suite: 'cart.test.ts', className: 'Cart', name: 'adds 2 items (quickly)' };

describe('test lists for CI runners', () => {
  it('names pytest node ids as pytest does, with and without a class', () => {
    expect(pytestNodeId(login)).toBe('tests/test_login.py::TestLogin::test_ok[admin]');
    expect(pytestNodeId(plain)).toBe('tests/test_cart.py::test_total');
    expect(formatTestList([login, plain], 'pytest')).toBe(
      'tests/test_login.py::TestLogin::test_ok[admin]\ntests/test_cart.py::test_total\n',
    );
    expect(formatTestList([login], 'pytest', 'skip')).toBe(
      "--deselect 'tests/test_login.py::TestLogin::test_ok[admin]'\n",
    );
  });

  it("writes Surefire's -Dtest, with ! to exclude, and Gradle's --tests filters", () => {
    expect(formatTestList([java], 'maven')).toBe("-Dtest='com.shop.LoginTest#logsIn'\n");
    expect(formatTestList([java, { ...java, name: 'logsOut' }], 'maven', 'skip')).toBe(
      "-Dtest='!com.shop.LoginTest#logsIn,!com.shop.LoginTest#logsOut'\n",
    );
    expect(formatTestList([java], 'gradle')).toBe("--tests 'com.shop.LoginTest.logsIn'\n");
    expect(formatTestList([java], 'gradle', 'skip')).toBe('com.shop.LoginTest.logsIn\n');
    // Surefire's excludesFile / includesFile: one Class#method a line, either way.
    expect(formatTestList([java, { ...java, name: 'logsOut' }], 'junit', 'skip')).toBe(
      'com.shop.LoginTest#logsIn\ncom.shop.LoginTest#logsOut\n',
    );
  });

  it('escapes names into anchored patterns for Jest and Go, and selects Go subtests by their parent', () => {
    expect(formatTestList([jest], 'jest')).toBe("--testNamePattern '^(?:adds 2 items \\(quickly\\))$'\n");
    expect(formatTestList([jest], 'jest', 'skip')).toBe(
      "--testNamePattern '^(?!(?:adds 2 items \\(quickly\\))$)'\n",
    );
    expect(formatTestList([go, { ...go, name: 'TestTotal/full' }], 'go')).toBe("-run '^(?:TestTotal)$'\n");
    expect(formatTestList([go], 'go', 'skip')).toBe("-skip '^(?:TestTotal)$'\n");
  });

  it('prints ids, readable names and JSON, and nothing for an empty list', () => {
    expect(formatTestList([login, java], 'ids')).toBe('a1b2\ne5f6\n');
    expect(formatTestList([java, jest], 'names')).toBe(
      'com.shop.LoginTest › logsIn\ncart.test.ts › Cart › adds 2 items (quickly)\n',
    );
    expect(JSON.parse(formatTestList([{ ...java, expectedMs: 1200 }], 'json'))).toEqual([
      {
        id: 'e5f6',
        suite: 'com.shop.LoginTest',
        className: 'com.shop.LoginTest',
        name: 'logsIn',
        expectedMs: 1200,
      },
    ]);
    for (const f of ['ids', 'pytest', 'maven', 'jest', 'go'] as const) expect(formatTestList([], f)).toBe('');
  });
});
