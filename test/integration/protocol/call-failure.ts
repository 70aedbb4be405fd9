import { WeftError } from '../../../rm/common/errors.ts';

/** The WeftError a protocol call failed with, whichever transport carried it; anything else fails the test. */
export const failure = (p: Promise<unknown>): Promise<WeftError> =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => {
      if (err instanceof WeftError) return err;
      throw err;
    },
  );
