import { ValidationPipe } from '@nestjs/common';
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

  it("checks Fastify's route params (an object without Object.prototype) without class-validator, and still names a bad one", async () => {
    const routeParams = (userId: string): object => {
      // What find-my-way builds: an instance of an empty prototype-less prototype.
      const NullObject = function () {
        // empty, like find-my-way's
      } as unknown as new () => Record<string, string>;
      NullObject.prototype = Object.create(null) as Record<string, string>;
      const params = new NullObject();
      params['userId'] = userId;
      return params;
    };
    const classValidator = jest.spyOn(ValidationPipe.prototype, 'transform');
    const id = '3f1c9a4e-8b2d-4c6f-9e7a-1b2c3d4e5f60';
    const valid = await pipe.transform(routeParams(id), { type: 'param', metatype: Params });
    expect(valid).toBeInstanceOf(Params);
    expect(valid).toEqual(Object.assign(new Params(), { userId: id }));
    expect(classValidator).not.toHaveBeenCalled();
    expect(
      await fieldsOf(pipe.transform(routeParams('nope'), { type: 'param', metatype: Params })),
    ).toEqual(['params.userId']);
    expect(classValidator).toHaveBeenCalledTimes(1);
    classValidator.mockRestore();
  });
});
