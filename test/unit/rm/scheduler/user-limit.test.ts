import { describe, expect, it } from 'vitest';
import { computeUserLimit, type UserLimitInput } from '../../../../rm/scheduler/capacity/user-limit.ts';
import { defaultResourceCalculator } from '../../../../rm/scheduler/resource-calculator.ts';
import { res } from './scheduler-fixtures.ts';

const input = (p: Partial<UserLimitInput>): UserLimitInput => ({
  calc: defaultResourceCalculator,
  queueCapacity: res(12288, 12),
  queueMax: res(24576, 24),
  queueUsed: res(0, 0),
  required: res(1024),
  activeUsers: 1,
  userLimitPercent: 100,
  userLimitFactor: 1,
  minimumAllocation: res(1024),
  ...p,
});

describe('computeUserLimit', () => {
  it('minimum-user-limit-percent 25: half each with 2 users, a third with 3, a quarter with 4 or more', () => {
    const limit = (users: number): number => computeUserLimit(input({ userLimitPercent: 25, activeUsers: users })).memory;
    expect(limit(2)).toBe(6144);
    expect(limit(3)).toBe(4096);
    expect(limit(4)).toBe(3072);
    expect(limit(6)).toBe(3072);
  });

  it('grows with the queue once the queue is past its guarantee, up to user-limit-factor × guarantee', () => {
    const over = input({ queueUsed: res(12288, 12), userLimitFactor: 1.5 });
    expect(computeUserLimit(over).memory).toBe(13312);
    expect(computeUserLimit({ ...over, queueUsed: res(16384, 16) }).memory).toBe(17408);
    expect(computeUserLimit({ ...over, queueUsed: res(20480, 20) }).memory).toBe(18432);
  });

  it('user-limit-factor -1 caps only at the queue maximum', () => {
    expect(computeUserLimit(input({ queueUsed: res(30000, 30), userLimitFactor: -1 })).memory).toBe(24576);
  });
});
