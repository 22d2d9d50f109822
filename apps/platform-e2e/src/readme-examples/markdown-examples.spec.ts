import { ExampleSyntaxError, readmeExamples, unmarkedApiExamples } from './markdown-examples';

const fence = '```';

describe('the README examples the runner reads', () => {
  const markdown = [
    '# Title',
    '## Using it',
    `${fence}bash readme-test`,
    '# Create one (a comment the reader reads)',
    "curl -X POST localhost:8000/things -H 'content-type: application/json' \\",
    `  -d '{"name":"a"}'`,
    '# → 202 {"id":"…",',
    '#    "status":"PENDING"}',
    '# The same again → 409 (prose, not an answer)',
    '',
    'curl localhost:8000/things/<id>   # trailing comment',
    '# → {"id":"…","name":"a"}',
    '#   or {"id":"…","name":null}',
    'curl localhost:8000/things',
    fence,
    '',
    `${fence}bash`,
    'npm start',
    fence,
  ].join('\n');

  it('are the marked bash blocks, split into commands with their continuation lines', () => {
    const [example, ...others] = readmeExamples(markdown);
    expect(others).toEqual([]);
    expect(example?.heading).toBe('Using it');
    expect(example?.line).toBe(3);
    expect(example?.commands.map(({ line, text }) => ({ line, text }))).toEqual([
      {
        line: 5,
        text: 'curl -X POST localhost:8000/things -H \'content-type: application/json\' \\\n  -d \'{"name":"a"}\'',
      },
      { line: 11, text: 'curl localhost:8000/things/<id>   # trailing comment' },
      { line: 14, text: 'curl localhost:8000/things' },
    ]);
  });

  it('take the answer from the → comment and its indented continuation lines', () => {
    const [example] = readmeExamples(markdown);
    const [create, read, list] = example?.commands ?? [];
    expect(create?.answer?.text).toBe('202 {"id":"…", "status":"PENDING"}');
    expect(create?.answer?.alternatives[0]?.status).toBe(202);
    expect(read?.answer?.alternatives).toHaveLength(2);
    expect(list?.answer).toBeUndefined();
  });

  it('refuse an answer that follows no command, or a second answer for one command', () => {
    expect(() => readmeExamples(`${fence}bash readme-test\n# → 200\n${fence}`)).toThrow(
      ExampleSyntaxError,
    );
    expect(() =>
      readmeExamples(`${fence}bash readme-test\ncurl x\n# → 200\n\n# → 201\n${fence}`),
    ).toThrow(ExampleSyntaxError);
  });

  it('name a report of an unreadable answer by its line', () => {
    expect(() =>
      readmeExamples(`${fence}bash readme-test\ncurl x\n# → the thing\n${fence}`),
    ).toThrow(/^line 3: /);
  });

  it('find shell examples calling the apps that are not marked', () => {
    const unmarked = [
      '## Search',
      `${fence}sh`,
      "curl 'localhost:8002/logs?q=x'",
      fence,
      `${fence}bash readme-test`,
      'curl localhost:8000/topics',
      fence,
      `${fence}bash`,
      'npm run services -- status',
      fence,
    ].join('\n');
    expect(unmarkedApiExamples(unmarked)).toEqual([{ line: 2, heading: 'Search' }]);
  });
});
