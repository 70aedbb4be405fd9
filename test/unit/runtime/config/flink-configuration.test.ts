import { describe, expect, it } from 'vitest';
import { createFlinkConfiguration, parseDurationMs, parseMemoryMb, toDynamicProperties } from '../../../../runtime/config/flink-configuration.ts';

describe('Flink configuration', () => {
  it("uses Flink's defaults", () => {
    const c = createFlinkConfiguration();
    expect(c['heartbeat.interval']).toBe(10_000);
    expect(c['heartbeat.timeout']).toBe(50_000);
    expect(c['resourcemanager.taskmanager-timeout']).toBe(30_000);
    expect(c['taskmanager.numberOfTaskSlots']).toBe(1);
    expect(c['taskmanager.memory.process.size']).toBe(1728);
    expect(c['execution.buffer-timeout']).toBe(100);
    expect(c['yarn.heartbeat.interval']).toBe(5000);
  });

  it('reads durations and memory sizes in Flink notation', () => {
    expect(parseDurationMs('500 ms')).toBe(500);
    expect(parseDurationMs('10s')).toBe(10_000);
    expect(parseDurationMs('5 min')).toBe(300_000);
    expect(parseMemoryMb('2g')).toBe(2048);
    expect(parseMemoryMb('1728m')).toBe(1728);
    const c = createFlinkConfiguration({ 'heartbeat.interval': '1 s', 'taskmanager.memory.process.size': '512m', 'yarn.heartbeat.interval': '1' });
    expect(c['heartbeat.interval']).toBe(1000);
    expect(c['taskmanager.memory.process.size']).toBe(512);
    expect(c['yarn.heartbeat.interval']).toBe(1000);
  });

  it('names the key of a bad value', () => {
    expect(() => createFlinkConfiguration({ 'heartbeat.timeout': 'soon' })).toThrow(/heartbeat\.timeout/);
    expect(() => createFlinkConfiguration({ 'taskmanager.numberOfTaskSlots': 'two' })).toThrow(/numberOfTaskSlots/);
  });

  it('passes every key on to TaskManagers', () => {
    const c = createFlinkConfiguration([['taskmanager.numberOfTaskSlots', '2'], ['my.key', 'x']]);
    expect(toDynamicProperties(c)).toEqual(['--conf', 'taskmanager.numberOfTaskSlots=2', '--conf', 'my.key=x']);
  });
});
