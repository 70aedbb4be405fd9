import { fileURLToPath } from 'node:url';
import { ParameterTool, type StreamExecutionEnvironment } from 'weft';

/**
 * WordCount: the lines of a text file -> words -> running count per word.
 *   --input <file>     text to count (default: the bundled examples/data/words.txt, from Hamlet)
 *   --output <path>    write results as text instead of printing them
 *   --collect <name>   also deliver results to a collect sink (tests read it back)
 */
export default function wordCount(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  const input = params.get('input') ?? fileURLToPath(new URL('./data/words.txt', import.meta.url));
  env.setJobName('WordCount');

  const counts = env
    .readTextFile(input)
    .name('words')
    .flatMap<{ word: string; count: number }>((line, out) => {
      for (const word of line.toLowerCase().split(/[^a-z']+/)) {
        const trimmed = word.replace(/^'+|'+$/g, '');
        if (trimmed.length > 0) out.collect({ word: trimmed, count: 1 });
      }
    })
    .name('tokenizer')
    .keyBy((wc) => wc.word)
    .sum('count')
    .name('counter');

  const output = params.get('output');
  if (output !== undefined) counts.writeAsText(output).name('file-sink');
  else counts.print();
  const collect = params.get('collect');
  if (collect !== undefined) counts.collect(collect);
}
