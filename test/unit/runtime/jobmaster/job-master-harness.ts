import { ManualClock } from '../../../../rm/common/clock.ts';
import { createSilentLogger } from '../../../../rm/common/logger.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import type { JobGraph } from '../../../../runtime/jobgraph/job-graph.ts';
import { JobMaster } from '../../../../runtime/jobmaster/job-master.ts';
import type { JobResult } from '../../../../runtime/protocol/dispatcher-gateway.ts';
import { ANY_RESOURCE_PROFILE, newFlinkId, type ExecutionState } from '../../../../runtime/protocol/records.ts';
import type { TaskDeploymentDescriptor } from '../../../../runtime/protocol/task-deployment-descriptor.ts';
import { TestingResourceManagerGateway } from '../../../doubles/testing-resource-manager-gateway.ts';
import { TestingTaskExecutor } from '../../../doubles/testing-task-executor.ts';
import { JOB_FILE } from './test-job-graphs.ts';

export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** A JobMaster on a ManualClock with a testing RM and in-process testing TaskExecutors. */
export function jobMasterHarness(graph: JobGraph, config: Record<string, string> = {}) {
  const clock = new ManualClock();
  const rm = new TestingResourceManagerGateway();
  const tms = new Map<string, TestingTaskExecutor>();
  const terminated: JobResult[] = [];
  const jm = new JobMaster({
    jobGraph: graph,
    jobFile: JOB_FILE,
    config: createFlinkConfiguration({
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': '1',
      'restart-strategy.fixed-delay.delay': '2 s',
      ...config,
    }),
    clock,
    logger: createSilentLogger(),
    resourceManager: rm,
    jobMasterAddress: 'http://jobmanager:8081',
    taskExecutorGateway: (address) => {
      const tm = tms.get(address);
      if (!tm) throw new Error(`no TM at ${address}`);
      return tm.gateway();
    },
    onTerminated: (r) => terminated.push(r),
  });
  const addTaskManager = (name: string): TestingTaskExecutor => {
    const tm = new TestingTaskExecutor(name);
    tms.set(tm.location.address, tm);
    return tm;
  };
  const offer = (tm: TestingTaskExecutor, count: number): string[] => {
    jm.registerTaskManager(tm.location);
    return jm.offerSlots(
      tm.resourceId,
      Array.from({ length: count }, (_, slotIndex) => ({ allocationId: newFlinkId(), slotIndex, resourceProfile: ANY_RESOURCE_PROFILE })),
    );
  };
  const report = (tdd: TaskDeploymentDescriptor, state: ExecutionState, message?: string): boolean =>
    jm.updateTaskExecutionState({
      executionAttemptId: tdd.executionAttemptId,
      state,
      ...(message ? { error: { className: 'java.lang.RuntimeException', message, stack: `java.lang.RuntimeException: ${message}\n\tat job.ts:1` } } : {}),
    });
  const reportAll = (tm: TestingTaskExecutor, state: ExecutionState, attemptNumber = 0): void => {
    for (const tdd of tm.submitted.filter((t) => t.attemptNumber === attemptNumber)) report(tdd, state);
  };
  return { clock, rm, jm, terminated, addTaskManager, offer, report, reportAll };
}
