import type { StreamExecutionEnvironment } from 'weft';

/** A job whose map throws on the fifth record: e2e tests check the failure reaches REST and YARN. */
export default function failing(env: StreamExecutionEnvironment): void {
  env.setJobName('Failing');
  env
    .fromSequence(1, 10)
    .name('numbers')
    .map((n) => {
      if (n === 5) throw new Error('Intentional failure in the e2e failing job at record 5');
      return n;
    })
    .name('thrower')
    .print();
}
