import { z } from 'zod';

/**
 * Flink's TaskExecutorMemoryConfiguration: a TaskManager's FLIP-49 memory breakdown in bytes, sent
 * with its registration and shown as `memoryConfiguration` on /taskmanagers.
 */
export const TaskExecutorMemoryConfiguration = z.object({
  frameworkHeap: z.number(),
  taskHeap: z.number(),
  frameworkOffHeap: z.number(),
  taskOffHeap: z.number(),
  networkMemory: z.number(),
  managedMemory: z.number(),
  jvmMetaspace: z.number(),
  jvmOverhead: z.number(),
  totalFlinkMemory: z.number(),
  totalProcessMemory: z.number(),
});
export type TaskExecutorMemoryConfiguration = z.infer<typeof TaskExecutorMemoryConfiguration>;
