import { describe, expect, it } from 'vitest';
import { CapacityScheduler } from '../../../../rm/scheduler/capacity/capacity-scheduler.ts';
import { capacity, MAX, MIN } from './scheduler-fixtures.ts';

const base = { 'root.queues': 'a,b', 'root.a.capacity': 50, 'root.b.capacity': 50 };

describe('CapacityScheduler submission checks', () => {
  it('accepts a leaf by short name or full path, default queue when none is given', () => {
    expect(capacity().checkSubmit(undefined, 'alice', 0)).toEqual({ ok: true, queue: 'default' });
    const s = capacity(base);
    expect(s.checkSubmit('a', 'alice', 0)).toEqual({ ok: true, queue: 'a' });
    expect(s.checkSubmit('root.b', 'alice', 0)).toEqual({ ok: true, queue: 'b' });
  });

  it('rejects an unknown queue in YARN words', () => {
    const r = capacity(base).checkSubmit('nope', 'alice', 0, 'application_1_0001');
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.diagnostics).toMatch(/^Application application_1_0001 submitted by user alice to unknown queue: nope/);
    // no `default` leaf in this configuration
    expect(capacity(base).checkSubmit(undefined, 'alice', 0).ok).toBe(false);
  });

  it('rejects a parent queue', () => {
    const r = capacity(base).checkSubmit('root', 'alice', 0, 'application_1_0001');
    expect(!r.ok && r.diagnostics).toMatch(/submitted by user alice to non-leaf queue: root/);
  });

  it('rejects a STOPPED queue and the children of a STOPPED parent', () => {
    const r = capacity({ ...base, 'root.a.state': 'STOPPED' }).checkSubmit('a', 'alice', 0, 'application_1_0001');
    expect(!r.ok && r.diagnostics).toBe('Queue root.a is STOPPED. Cannot accept submission of application: application_1_0001');
    const nested = capacity({ ...base, 'root.a.state': 'STOPPED', 'root.a.queues': 'x', 'root.a.x.capacity': 100 });
    expect(nested.checkSubmit('x', 'alice', 0).ok).toBe(false);
  });

  it('rejects a submission beyond maximum-applications', () => {
    const s = capacity({ ...base, 'root.a.maximum-applications': 2 });
    expect(s.checkSubmit('a', 'alice', 1).ok).toBe(true);
    const r = s.checkSubmit('a', 'alice', 2, 'application_1_0003');
    expect(!r.ok && r.diagnostics).toBe('Queue root.a already has 2 applications, cannot accept submission of application: application_1_0003');
    // the global limit is split by absolute capacity: 4 × 50%
    expect(capacity({ ...base, 'maximum-applications': 4 }).checkSubmit('b', 'alice', 2).ok).toBe(false);
  });

  it('rejects an ambiguous short name and accepts the full path', () => {
    const s = capacity({ ...base, 'root.a.queues': 'x', 'root.a.x.capacity': 100, 'root.b.queues': 'x', 'root.b.x.capacity': 100 });
    const r = s.checkSubmit('x', 'alice', 0);
    expect(!r.ok && r.diagnostics).toMatch(/\(x\) which is ambiguous.*root\.a\.x, root\.b\.x/);
    expect(s.checkSubmit('root.b.x', 'alice', 0)).toEqual({ ok: true, queue: 'root.b.x' });
  });
});

describe('CapacityScheduler queue ACLs', () => {
  const acls = {
    ...base,
    'root.acl_submit_applications': 'carol',
    'root.acl_administer_queue': ' ',
    'root.a.acl_submit_applications': 'alice',
    'root.a.acl_administer_queue': 'dave',
  };

  it('denies submission to a user not in the ACL, naming queue and user', () => {
    const r = capacity(acls, true).checkSubmit('a', 'bob', 0, 'application_1_0001');
    expect(!r.ok && r.diagnostics).toBe('User bob does not have permission to submit application_1_0001 to queue root.a');
    expect(capacity(acls, true).checkSubmit('a', 'alice', 0).ok).toBe(true);
  });

  it('inherits: a user allowed on a parent is allowed on its children; administer implies submit', () => {
    const s = capacity(acls, true);
    expect(s.checkSubmit('a', 'carol', 0).ok).toBe(true);
    expect(s.checkSubmit('b', 'carol', 0).ok).toBe(true);
    expect(s.checkSubmit('b', 'alice', 0).ok).toBe(false);
    expect(s.checkSubmit('a', 'dave', 0).ok).toBe(true);
  });

  it('root defaults to *, so leaf ACLs restrict nobody unless root is restricted too', () => {
    expect(capacity({ ...base, 'root.a.acl_submit_applications': 'alice' }, true).checkSubmit('a', 'bob', 0).ok).toBe(true);
  });

  it('checks acl_administer_queue for administration', () => {
    const s = capacity(acls, true);
    expect(s.canAdminister('a', 'dave')).toBe(true);
    expect(s.canAdminister('root.b', 'dave')).toBe(false);
    expect(s.canAdminister('a', 'alice')).toBe(false);
  });

  it('enforces nothing when yarn.acl.enable is false', () => {
    const s = capacity(acls, false);
    expect(s.checkSubmit('a', 'bob', 0).ok).toBe(true);
    expect(s.canAdminister('a', 'bob')).toBe(true);
  });

  it('supports groups after the space', () => {
    const conf = new Map(
      Object.entries({ ...base, 'root.acl_submit_applications': ' ', 'root.acl_administer_queue': ' ', 'root.a.acl_submit_applications': 'alice eng' }).map(
        ([k, v]) => [`yarn.scheduler.capacity.${k}`, String(v)],
      ),
    );
    const s = new CapacityScheduler({ conf, aclEnable: true, minimumAllocation: MIN, maximumAllocation: MAX, groupsOf: (u) => (u === 'erin' ? ['eng'] : []) });
    expect(s.checkSubmit('a', 'erin', 0).ok).toBe(true);
    expect(s.checkSubmit('a', 'frank', 0).ok).toBe(false);
  });
});
