import { ParameterTool, type StreamExecutionEnvironment } from 'weft';

/**
 * WordCount: the lines of a text file -> words -> running count per word.
 *   --input <file>     text file to count (default: the bundled text below, Hamlet's soliloquy)
 *   --output <path>    write results as text instead of printing them
 *   --collect <name>   also deliver results to a collect sink (tests read it back)
 */
export default function wordCount(env: StreamExecutionEnvironment, args: string[]): void {
  const params = ParameterTool.fromArgs(args);
  const input = params.get('input');
  env.setJobName('WordCount');

  // The default text travels inside this file: on a cluster only the job file is shipped.
  const lines = input !== undefined ? env.readTextFile(input) : env.fromElements(...BUNDLED_TEXT.split('\n'));
  const counts = lines
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

/** Hamlet, Act III, Scene 1 (public domain). */
export const BUNDLED_TEXT = `To be, or not to be,--that is the question:--
Whether 'tis nobler in the mind to suffer
The slings and arrows of outrageous fortune
Or to take arms against a sea of troubles,
And by opposing end them?--To die,--to sleep,--
No more; and by a sleep to say we end
The heartache, and the thousand natural shocks
That flesh is heir to,--'tis a consummation
Devoutly to be wish'd. To die,--to sleep;--
To sleep! perchance to dream:--ay, there's the rub;
For in that sleep of death what dreams may come,
When we have shuffled off this mortal coil,
Must give us pause: there's the respect
That makes calamity of so long life;
For who would bear the whips and scorns of time,
The oppressor's wrong, the proud man's contumely,
The pangs of despis'd love, the law's delay,
The insolence of office, and the spurns
That patient merit of the unworthy takes,
When he himself might his quietus make
With a bare bodkin? who would these fardels bear,
To grunt and sweat under a weary life,
But that the dread of something after death,--
The undiscover'd country, from whose bourn
No traveller returns,--puzzles the will,
And makes us rather bear those ills we have
Than fly to others that we know not of?
Thus conscience does make cowards of us all;
And thus the native hue of resolution
Is sicklied o'er with the pale cast of thought;
And enterprises of great pith and moment,
With this regard, their currents turn awry,
And lose the name of action.--Soft you now!
The fair Ophelia!--Nymph, in thy orisons
Be all my sins remember'd.
`;
