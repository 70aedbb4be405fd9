import { describe, expect, it } from 'vitest';
import { AppLogAggregation, type AppLogAggregationView } from '../../../../rm/app/app-log-aggregation.ts';
import type { LogAggregationStatus } from '../../../../rm/protocol/resource-tracker.ts';

const APP = 'application_1_0001';
const view = (over: Partial<AppLogAggregationView> = {}): AppLogAggregationView => ({
  enabled: true,
  ranNodes: ['h1:1', 'h2:2'],
  appFinal: false,
  finishTime: 0,
  now: 1000,
  timeoutMs: 600_000,
  ...over,
});
const report = (status: LogAggregationStatus, diagnosticMessage = '') => ({ applicationId: APP, logAggregationStatus: status, diagnosticMessage });

describe("an app's log aggregation status (RMAppImpl)", () => {
  it('is DISABLED when aggregation is off, whatever the NMs say', () => {
    const agg = new AppLogAggregation();
    agg.report('h1:1', report('SUCCEEDED'));
    expect(agg.status(view({ enabled: false, appFinal: true }))).toBe('DISABLED');
  });

  it('is NOT_START while the app runs and before any node reported', () => {
    const agg = new AppLogAggregation();
    expect(agg.status(view())).toBe('NOT_START');
    expect(agg.status(view({ ranNodes: [] }))).toBe('NOT_START');
  });

  it('is RUNNING while some nodes have uploaded and others not, SUCCEEDED once all did and the app is final', () => {
    const agg = new AppLogAggregation();
    agg.report('h1:1', report('SUCCEEDED'));
    expect(agg.status(view({ appFinal: true, finishTime: 900 }))).toBe('RUNNING');
    agg.report('h2:2', report('SUCCEEDED'));
    expect(agg.status(view({ appFinal: true, finishTime: 900 }))).toBe('SUCCEEDED');
  });

  it('is FAILED when one node failed, and keeps a settled status against late reports', () => {
    const agg = new AppLogAggregation();
    agg.report('h1:1', report('SUCCEEDED'));
    agg.report('h2:2', report('FAILED', 'Log aggregation failed on h2:2: EACCES'));
    expect(agg.diagnostics()).toEqual(new Map([['h2:2', 'Log aggregation failed on h2:2: EACCES']]));
    expect(agg.status(view({ appFinal: true, finishTime: 900 }))).toBe('FAILED');
    agg.report('h2:2', report('SUCCEEDED'));
    expect(agg.status(view({ appFinal: true, finishTime: 900 }))).toBe('FAILED');
  });

  it('counts a node that never reported as TIME_OUT once the time-out after the finish passed', () => {
    const agg = new AppLogAggregation();
    agg.report('h1:1', report('SUCCEEDED'));
    expect(agg.status(view({ appFinal: true, finishTime: 1000, now: 1000 + 600_000 }))).toBe('RUNNING');
    expect(agg.status(view({ appFinal: true, finishTime: 1000, now: 1000 + 600_001 }))).toBe('TIME_OUT');
  });

  it('does not let a late RUNNING undo a finished node', () => {
    const agg = new AppLogAggregation();
    agg.report('h1:1', report('SUCCEEDED'));
    agg.report('h1:1', report('RUNNING'));
    expect(agg.status(view({ ranNodes: ['h1:1'], appFinal: true, finishTime: 900 }))).toBe('SUCCEEDED');
  });
});
