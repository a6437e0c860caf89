import { describe, expect, it } from 'vitest';
import { formatAwsCliTimestamp, parseAwsCliTimestamp } from '../node/awsCliTimestamp.ts';

const AT = Date.UTC(2024, 0, 2, 3, 4, 5); // 2024-01-02T03:04:05Z

describe('parseAwsCliTimestamp', () => {
  it.each([
    ['AWS CLI v2 / botocore strftime %SZ', '2024-01-02T03:04:05Z', AT],
    ['JS SDK toISOString', '2024-01-02T03:04:05.678Z', AT + 678],
    ['older botocore strftime %Z on tzutc', '2024-01-02T03:04:05UTC', AT],
    ['botocore isoformat', '2024-01-02T03:04:05+00:00', AT],
    ['botocore isoformat with microseconds', '2024-01-02T03:04:05.678999+00:00', AT + 678],
    ['a %z offset', '2024-01-02T05:04:05+0200', AT],
    ['a negative offset', '2024-01-01T22:34:05-04:30', AT],
    ['a space separator', '2024-01-02 03:04:05Z', AT],
    ['no zone (taken as UTC)', '2024-01-02T03:04:05', AT],
    ['a leap day', '2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('reads %s', (_, text, expected) => {
    expect(parseAwsCliTimestamp(text)).toBe(expected);
  });

  it.each([
    '',
    'tomorrow',
    '2024-01-02',
    '1704164645',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-02T24:00:00Z',
    '2024-01-02T03:04:60Z',
    '2024-01-02T03:04:05+25:00',
    '2024-01-02T03:04:05 EST',
  ])('rejects %j', (text) => {
    expect(parseAwsCliTimestamp(text)).toBeUndefined();
  });
});

describe('formatAwsCliTimestamp', () => {
  it('writes %Y-%m-%dT%H:%M:%SZ, truncating milliseconds as strftime truncates microseconds', () => {
    expect(formatAwsCliTimestamp(AT)).toBe('2024-01-02T03:04:05Z');
    expect(formatAwsCliTimestamp(AT + 999)).toBe('2024-01-02T03:04:05Z');
    expect(parseAwsCliTimestamp(formatAwsCliTimestamp(AT + 999))).toBe(AT);
  });

  it('refuses what %Y cannot write', () => {
    expect(() => formatAwsCliTimestamp(Number.NaN)).toThrow(RangeError);
    expect(() => formatAwsCliTimestamp(-1)).toThrow(RangeError);
    expect(() => formatAwsCliTimestamp(Date.UTC(10000, 0, 1))).toThrow(RangeError);
  });
});
