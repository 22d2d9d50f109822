import { ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  registerDecorator,
} from 'class-validator';
import { flatDtoCheck } from './flat-dto-check';
import { ProblemValidationPipe } from './problem-validation.pipe';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

function IsEven(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEven',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be even' },
      validator: { validate: (value: unknown) => typeof value === 'number' && value % 2 === 0 },
    });
}

class Person {
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(5)
  name!: string;

  @Transform(trim)
  @IsEmail()
  email!: string;

  @IsIn(['a', 'b'])
  kind!: string;
}

class Counted extends Person {
  @IsInt()
  @Min(0)
  @IsEven()
  count!: number;
}

class WithOptional {
  @IsOptional()
  @IsString()
  note?: string;
}

/** Nest's pipe with ProblemValidationPipe's options: what every value took before the check. */
const reference = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
});
const pipe = new ProblemValidationPipe();

async function outcome(
  validate: (value: unknown) => Promise<unknown>,
  value: unknown,
): Promise<unknown> {
  try {
    const entity = await validate(value);
    return { accepted: entity, type: (entity as object).constructor };
  } catch {
    return 'refused';
  }
}

/** Values tried for each field, valid ones first and more often. */
const PICKS: Record<string, unknown[]> = {
  name: ['ana', ' ana ', 'ana', '', '   ', 'toolongname', 3, null, true],
  email: ['a@b.co', ' a@b.co ', 'a@b.co', 'not-mail', '', 1, null],
  kind: ['a', 'b', 'a', 'c', '', null, 0],
  count: [0, 2, 4, 3, -2, 2.5, '2', null],
  note: ['x', 'x', null, undefined, 3],
  extra: ['x', 1, null, false],
};

function randomBody(random: () => number, fields: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of [...fields, 'extra']) {
    if (random() < (field === 'extra' ? 0.9 : 0.05)) continue;
    const picks = PICKS[field] ?? [];
    body[field] = picks[Math.floor(random() * random() * picks.length)];
  }
  return body;
}

/** A small deterministic generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('flat DTO check', () => {
  it('is compiled only for DTOs whose rules are all plain property validators', () => {
    expect(flatDtoCheck(Person)).toBeDefined();
    expect(flatDtoCheck(Counted)).toBeDefined();
    expect(flatDtoCheck(WithOptional)).toBeUndefined();
    expect(flatDtoCheck(Object)).toBeUndefined();
  });

  it.each([
    ['Person', Person, ['name', 'email', 'kind']],
    ['Counted (inherited rules)', Counted, ['name', 'email', 'kind', 'count']],
    ['WithOptional (no check)', WithOptional, ['note']],
  ])(
    'accepts and builds exactly what the whole validation does: %s',
    async (_name, metatype, fields) => {
      const random = seeded(fields.length);
      let accepted = 0;
      for (let i = 0; i < 3000; i++) {
        const body = randomBody(random, fields);
        const metadata = { type: 'body' as const, metatype };
        const expected = await outcome((v) => reference.transform(v, metadata), { ...body });
        const actual = await outcome((v) => pipe.transform(v, metadata), { ...body });
        expect({ body, outcome: actual }).toEqual({ body, outcome: expected });
        if (expected !== 'refused') accepted++;
      }
      expect(accepted).toBeGreaterThan(0);
    },
  );

  it('leaves nested and non-plain values to the whole validation', async () => {
    const metadata = { type: 'body' as const, metatype: Person };
    await expect(
      pipe.transform({ name: 'ana', email: 'a@b.co', kind: { x: 1 } }, metadata),
    ).rejects.toThrow();
    await expect(pipe.transform(['ana'], metadata)).rejects.toThrow();
    const accepted = await pipe.transform({ name: ' ana ', email: 'a@b.co', kind: 'a' }, metadata);
    expect(accepted).toBeInstanceOf(Person);
    expect(accepted).toEqual({ name: 'ana', email: 'a@b.co', kind: 'a' });
  });
});
