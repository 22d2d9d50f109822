import { ProblemException } from '@event-hub/service-runtime';
import { UserIdPipe } from './user-id.params';

describe('user id parameter', () => {
  it('names a user id that is not a UUID', () => {
    expect(() => new UserIdPipe().transform('42')).toThrow(ProblemException);
    try {
      new UserIdPipe().transform('42');
    } catch (error) {
      expect((error as ProblemException).problem.errors).toEqual([
        { field: 'params.userId', message: 'userId must be a UUID' },
      ]);
    }
    expect(new UserIdPipe().transform('3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60')).toBe(
      '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60',
    );
  });
});
