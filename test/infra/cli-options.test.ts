import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { infraThresholdOptions } from '../../src/cli/infra-options.ts';

describe('assay serve --infra-* options', () => {
  it('reads the thresholds given and leaves the others to their defaults', () => {
    expect(infraThresholdOptions({ 'infra-fail-share': '0.9', 'infra-burst-seconds': '10' })).toEqual({
      failShare: 0.9,
      burstSeconds: 10,
    });
    expect(infraThresholdOptions({})).toEqual({});
  });

  it('refuses a value that is no number or out of range, saying which', () => {
    expect(() => infraThresholdOptions({ 'infra-fail-share': 'most' })).toThrow(
      new UsageError('--infra-fail-share must be a number (got "most")'),
    );
    expect(() => infraThresholdOptions({ 'infra-min-executions': '2.5' })).toThrow(
      /minExecutions must be a whole number of at least 1, got 2.5/,
    );
  });
});
