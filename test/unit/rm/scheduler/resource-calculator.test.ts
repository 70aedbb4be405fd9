import { describe, expect, it } from 'vitest';
import {
  defaultResourceCalculator,
  dominantResourceCalculator,
  formatResource,
  resourceCalculatorFor,
  validateRequest,
} from '../../../../rm/scheduler/resource-calculator.ts';
import { MAX, MIN, res } from './scheduler-fixtures.ts';

describe('resource calculators', () => {
  it('normalises memory up to a multiple of the minimum allocation (1500 MB -> 2048 MB)', () => {
    expect(defaultResourceCalculator.normalize(res(1500, 1), MIN, MAX, MIN)).toEqual(res(2048, 1));
    expect(defaultResourceCalculator.normalize(res(100, 0), MIN, MAX, MIN)).toEqual(res(1024, 1));
    expect(defaultResourceCalculator.normalize(res(9000, 1), MIN, MAX, MIN).memory).toBe(8192);
  });

  it('default calculator leaves vcores alone except for raising them to the minimum; dominant rounds both', () => {
    const step = res(1024, 2);
    expect(defaultResourceCalculator.normalize(res(1024, 3), res(1024, 2), MAX, step)).toEqual(res(1024, 3));
    expect(dominantResourceCalculator.normalize(res(1024, 3), res(1024, 2), MAX, step)).toEqual(res(1024, 4));
  });

  it('default calculator fits by memory only; dominant by memory and vcores', () => {
    expect(defaultResourceCalculator.fitsIn(res(1024, 16), res(2048, 1))).toBe(true);
    expect(dominantResourceCalculator.fitsIn(res(1024, 16), res(2048, 1))).toBe(false);
    expect(dominantResourceCalculator.ratio(res(1024, 4), res(8192, 8))).toBe(0.5);
    expect(defaultResourceCalculator.ratio(res(1024, 4), res(8192, 8))).toBe(0.125);
  });

  it('refuses negative and above-maximum asks in YARN words', () => {
    expect(validateRequest(res(9000, 1), MAX)).toBe(
      'Invalid resource request, requested memory < 0, or requested memory > max configured, requestedMemory=9000, maxMemory=8192',
    );
    expect(validateRequest(res(-1, 1), MAX)).toContain('requestedMemory=-1');
    expect(validateRequest(res(1024, 33), MAX)).toBe(
      'Invalid resource request, requested virtual cores < 0, or requested virtual cores > max configured, requestedVirtualCores=33, maxVirtualCores=32',
    );
    expect(validateRequest(res(8192, 32), MAX)).toBeUndefined();
  });

  it('resolves YARN class names and rejects unknown ones', () => {
    expect(resourceCalculatorFor('org.apache.hadoop.yarn.util.resource.DominantResourceCalculator').name).toBe('dominant');
    expect(resourceCalculatorFor('DefaultResourceCalculator').name).toBe('default');
    expect(resourceCalculatorFor(undefined).name).toBe('default');
    expect(() => resourceCalculatorFor('FancyCalculator')).toThrow(/resource-calculator/);
  });

  it('formats resources the way YARN prints them', () => {
    expect(formatResource(res(2048, 1))).toBe('<memory:2048, vCores:1>');
  });
});
