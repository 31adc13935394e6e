import { describe, expect, it } from 'vitest';
import { EMPTY_CHAIN, HashChainLog } from './hash-chain-log.js';

interface Item {
  text: string;
  keys?: string[];
}

const item = (text: string, ...keys: string[]): Item => ({ text, keys });

describe('HashChainLog', () => {
  it('gives back the items of a log it has seen, oldest first, and nothing for one it has not', () => {
    const log = new HashChainLog<Item>();
    const holder = {};
    const two = log.extend(EMPTY_CHAIN, [item('a'), item('b')], holder);
    expect(two.length).toBe(2);
    expect(log.items(two)?.map((i) => i.text)).toEqual(['a', 'b']);
    expect(log.isIndexed(holder)).toBe(true);
    expect(log.items({ length: 2, hash: 'other' })).toBeUndefined();
    // The same items from elsewhere give the same log; an edited one gives another.
    expect(new HashChainLog<Item>().extend(EMPTY_CHAIN, [item('a'), item('b')])).toEqual(two);
    expect(log.extend(EMPTY_CHAIN, [item('a'), item('B')]).hash).not.toBe(two.hash);
  });

  it('extends an unknown log by hashing alone: the result is not known either', () => {
    const log = new HashChainLog<Item>();
    const unknown = log.extend({ length: 3, hash: 'lost' }, [item('d')], {});
    expect(unknown.length).toBe(4);
    expect(log.items(unknown)).toBeUndefined();
    expect(log.has(unknown, 'x')).toBeUndefined();
  });

  it('looks keys up on the path of each log only, after a branch too', () => {
    const log = new HashChainLog<Item>({ keys: (i) => i.keys ?? [] });
    const held: object[] = []; // keeps the logs known for the test
    const hold = () => {
      const holder = {};
      held.push(holder);
      return holder;
    };
    const one = log.extend(EMPTY_CHAIN, [item('1', 'a')], hold());
    const two = log.extend(one, [item('2', 'b')], hold());
    const branch = log.extend(one, [item('2*', 'c')], hold());
    const three = log.extend(two, [item('3', 'd', 'a')], hold());
    const onBranch = log.extend(branch, [item('3*', 'e')], hold());
    expect([log.has(EMPTY_CHAIN, 'a'), log.has(one, 'a'), log.has(one, 'b')]).toEqual([false, true, false]);
    expect(['a', 'b', 'c', 'd'].map((key) => log.has(three, key))).toEqual([true, true, false, true]);
    expect(['a', 'b', 'c', 'e'].map((key) => log.has(onBranch, key))).toEqual([true, false, true, true]);
    expect(log.has(two, 'd')).toBe(false);
  });
});
