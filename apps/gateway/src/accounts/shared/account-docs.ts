import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../docs/problem-responses';

export const ApiAccountNotFound = (instance: string): MethodDecorator =>
  ApiProblemResponse(404, 'No such account (yet: its open command may still be PENDING)', {
    notFound: PROBLEM_EXAMPLES.notFound(
      instance,
      'ACCOUNT.NOT_FOUND',
      'Account not found',
      'No account with id 5b0e7a52-8d4f-4b8e-9f3c-2a1b0c9d8e7f',
    ),
  });
