import { parseDocumentedAnswer, type DocumentedAnswer } from './documented-answer';

/** The fenced-block info word that marks a README example for the runner: ```` ```bash readme-test ````. */
export const EXAMPLE_MARK = 'readme-test';

/** One command as a reader types it (continuation lines included) and the answer shown after it. */
export interface ReadmeCommand {
  /** 1-based line of the command's first line in the markdown. */
  line: number;
  text: string;
  answer?: DocumentedAnswer;
}

export interface ReadmeExample {
  /** 1-based line of the opening fence. */
  line: number;
  /** The nearest heading above the block, to name it in test titles. */
  heading: string;
  commands: ReadmeCommand[];
}

export class ExampleSyntaxError extends Error {}

interface FencedBlock {
  line: number;
  info: string[];
  heading: string;
  lines: string[];
}

function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let heading = '';
  let open: FencedBlock | undefined;
  markdown.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (open) {
      if (/^```\s*$/.test(line)) {
        blocks.push(open);
        open = undefined;
      } else {
        open.lines.push(line);
      }
      return;
    }
    const fence = /^```(.*)$/.exec(line);
    if (fence) {
      open = { line: index + 1, info: (fence[1] ?? '').trim().split(/\s+/), heading, lines: [] };
      return;
    }
    const title = /^#{1,6}\s+(.*)$/.exec(line);
    if (title) heading = (title[1] ?? '').trim();
  });
  return blocks;
}

const ANSWER = /^#\s*→\s?(.*)$/;
/** An answer goes on over comment lines indented by two spaces or more after `#`. */
const ANSWER_CONTINUATION = /^#\s{2,}(.*)$/;

function commandsOf(block: FencedBlock): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let command:
    { line: number; lines: string[]; answer?: { line: number; lines: string[] } } | undefined;
  let answering = false;
  const finish = (): void => {
    if (!command) return;
    const { answer } = command;
    commands.push({
      line: command.line,
      text: command.lines.join('\n'),
      ...(answer ? { answer: parseAnswer(answer.lines.join(' '), answer.line) } : {}),
    });
  };
  const continues = (): boolean =>
    command !== undefined && !answering && /\\$/.test(command.lines.at(-1) ?? '');

  block.lines.forEach((line, index) => {
    const lineNumber = block.line + 1 + index;
    if (continues()) {
      command?.lines.push(line);
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '') {
      answering = false;
      return;
    }
    const answer = ANSWER.exec(trimmed);
    if (answer) {
      if (!command)
        throw new ExampleSyntaxError(`line ${lineNumber}: an answer with no command above it`);
      if (command.answer)
        throw new ExampleSyntaxError(`line ${lineNumber}: a second answer for one command`);
      command.answer = { line: lineNumber, lines: [answer[1] ?? ''] };
      answering = true;
      return;
    }
    const continuation = ANSWER_CONTINUATION.exec(trimmed);
    if (answering && continuation) {
      command?.answer?.lines.push(continuation[1] ?? '');
      return;
    }
    answering = false;
    if (trimmed.startsWith('#')) return;
    finish();
    command = { line: lineNumber, lines: [line] };
  });
  finish();
  return commands;
}

function parseAnswer(text: string, line: number): DocumentedAnswer {
  try {
    return parseDocumentedAnswer(text);
  } catch (error) {
    throw new ExampleSyntaxError(`line ${line}: ${(error as Error).message}`);
  }
}

/** The marked `bash` examples of a markdown document, in order, split into commands. */
export function readmeExamples(markdown: string): ReadmeExample[] {
  return fencedBlocks(markdown)
    .filter((block) => block.info[0] === 'bash' && block.info.includes(EXAMPLE_MARK))
    .map((block) => ({ line: block.line, heading: block.heading, commands: commandsOf(block) }));
}

/**
 * Shell examples that call one of the apps (a URL on port 8000, 8001 or 8002) without the mark:
 * examples the runner would silently skip.
 */
export function unmarkedApiExamples(markdown: string): { line: number; heading: string }[] {
  return fencedBlocks(markdown)
    .filter((block) => ['bash', 'sh', 'shell', 'console'].includes(block.info[0] ?? ''))
    .filter((block) => !block.info.includes(EXAMPLE_MARK))
    .filter((block) =>
      block.lines.some((line) => /\b(?:localhost|127\.0\.0\.1):800[012]\b/.test(line)),
    )
    .map(({ line, heading }) => ({ line, heading }));
}
