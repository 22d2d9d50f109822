import { IsEmail, IsUUID } from 'class-validator';
import { ProblemException } from './problem.exception';
import { ProblemValidationPipe } from './problem-validation.pipe';

class Body {
  @IsEmail()
  email!: string;
}

class Params {
  @IsUUID()
  userId!: string;
}

async function fieldsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemException) return (error.problem.errors ?? []).map((e) => e.field);
    throw error;
  }
  return [];
}

describe('problem validation pipe', () => {
  const pipe = new ProblemValidationPipe();

  it('names the source of each bad field, also when one pipe validates concurrent arguments', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? fieldsOf(pipe.transform({ email: 'nope' }, { type: 'body', metatype: Body }))
          : fieldsOf(pipe.transform({ userId: 'nope' }, { type: 'param', metatype: Params })),
      ),
    );
    results.forEach((fields, i) =>
      expect(fields).toEqual([i % 2 === 0 ? 'body.email' : 'params.userId']),
    );
  });

  it('rejects fields the DTO does not declare', async () => {
    expect(
      await fieldsOf(
        pipe.transform({ email: 'a@b.co', role: 'admin' }, { type: 'body', metatype: Body }),
      ),
    ).toEqual(['body.role']);
  });
});
