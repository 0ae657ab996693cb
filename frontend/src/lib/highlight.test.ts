import { describe, expect, it } from 'vitest';
import { highlight } from './highlight';

describe('highlight', () => {
  it.each([
    ['no matches', 'Refunds take 5 days.', [], [['Refunds take 5 days.', false]]],
    ['any case, every time', 'Track it. tracking helps', ['track'], [['Track', true], [' it. ', false], ['track', true], ['ing helps', false]]],
    ['chinese pairs', '物流延误处理', ['物流', '延误'], [['物流', true], ['延误', true], ['处理', false]]],
    ['regex characters are text', 'a+b (c)', ['a+b', '(c)'], [['a+b', true], [' ', false], ['(c)', true]]],
    ['longest first', 'refunded', ['refund', 'refunded'], [['refunded', true]]],
    ['only at the start of a word', 'trace the race, Orders', ['race', 'order'], [['trace the ', false], ['race', true], [', ', false], ['Order', true], ['s', false]]],
    ['chinese inside a run', '查询物流信息', ['物流'], [['查询', false], ['物流', true], ['信息', false]]],
  ] as [string, string, string[], [string, boolean][]][])('%s', (_n, text, matches, want) => {
    expect(highlight(text, matches).map((s) => [s.text, s.hit])).toEqual(want);
  });
});
