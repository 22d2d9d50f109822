import type { ArgumentMetadata } from '@nestjs/common';
import { ProblemException, ProblemValidationPipe } from '@event-hub/service-runtime';
import { isPlainProduceBody, ProduceBodyPipe } from './produce-body.pipe';
import { ProduceRecordsDto } from './produce-records.dto';

const metadata: ArgumentMetadata = { type: 'body', metatype: Object, data: undefined };
const full = new ProblemValidationPipe();

/** What the route gets for `body` (JSON, as the controller reads it), or the problem's field errors. */
async function outcome(
  validate: (body: unknown) => Promise<unknown>,
  body: unknown,
): Promise<unknown> {
  try {
    return { accepted: JSON.parse(JSON.stringify(await validate(body))) as unknown };
  } catch (error) {
    if (error instanceof ProblemException) return { refused: error.problem.errors };
    throw error;
  }
}

const viaPipe = (body: unknown) => new ProduceBodyPipe().transform(body, metadata);
const viaDto = (body: unknown) =>
  full.transform(body, { ...metadata, metatype: ProduceRecordsDto });

/** Small random JSON bodies around the produce shape: fields of every type, extra fields. */
function randomBody(random: () => number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const anyJson = (): unknown =>
    pick([
      null,
      true,
      0,
      -1,
      1.5,
      7,
      '',
      'k',
      [],
      [1, 'a'],
      {},
      { a: 1 },
      { 'trace-id': 'x' },
      { 'bad name': 'x' },
      { 'trace-id': 1 },
    ]);
  const record = (): unknown => {
    if (random() < 0.05) return anyJson();
    const fields: Record<string, unknown> = {};
    for (const name of ['key', 'value', 'headers', 'partition', 'extra']) {
      const chance = name === 'value' ? 0.9 : name === 'extra' ? 0.05 : 0.4;
      if (random() < chance) fields[name] = anyJson();
    }
    return fields;
  };
  if (random() < 0.05) return anyJson();
  if (random() < 0.4) return record();
  const body: Record<string, unknown> = {
    records: random() < 0.1 ? anyJson() : Array.from({ length: Math.floor(random() * 4) }, record),
  };
  if (random() < 0.1) body[pick(['key', 'value', 'other'])] = anyJson();
  return body;
}

/** A fixed-seed generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('ProduceBodyPipe', () => {
  it('takes the plain shape as it is, with no class instance built', async () => {
    const body = {
      records: [
        { key: 'order-1', value: { amount: 1 }, headers: { 'trace-id': 'a' }, partition: 0 },
        { value: 'text' },
      ],
    };
    expect(isPlainProduceBody(body)).toBe(true);
    await expect(viaPipe(body)).resolves.toBe(body);
    expect(isPlainProduceBody({ key: 'k', value: [1] })).toBe(true);
  });

  it.each([
    ['a null key', { records: [{ key: null, value: 1 }] }],
    ['a null value', { records: [{ value: null }] }],
    ['an empty batch', { records: [] }],
    ['a field beside the batch', { records: [{ value: 1 }], key: 'k' }],
    ['an unknown field', { records: [{ value: 1, extra: true }] }],
    ['a negative partition', { value: 1, partition: -1 }],
    ['a fractional partition', { value: 1, partition: 1.5 }],
    ['a header of another type', { value: 1, headers: { a: 1 } }],
    ['an array', [{ value: 1 }]],
  ])('leaves %s to the DTO validation', (_case, body) => {
    expect(isPlainProduceBody(body)).toBe(false);
  });

  it('answers every body exactly as the DTO validation does (2,000 random bodies)', async () => {
    const random = seeded(14);
    let taken = 0;
    for (let i = 0; i < 2000; i++) {
      const body = randomBody(random);
      if (isPlainProduceBody(body)) taken++;
      const expected = await outcome(viaDto, structuredClone(body));
      expect({ body, outcome: await outcome(viaPipe, structuredClone(body)) }).toEqual({
        body,
        outcome: expected,
      });
    }
    // The comparison covers both paths.
    expect(taken).toBeGreaterThan(100);
    expect(taken).toBeLessThan(1900);
  });
});
