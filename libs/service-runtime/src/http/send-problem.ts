import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';

/** What {@link sendProblem} needs of a Fastify reply (Nest's and ours are distinct type copies). */
export interface ProblemReply {
  status(statusCode: number): unknown;
  header(name: string, value: string): unknown;
  send(payload?: unknown): unknown;
}

/** Answers with problem details; `instance` is the request path the problem is about. */
export function sendProblem(reply: ProblemReply, problem: ProblemDetails, instance: string): void {
  reply.status(problem.status);
  reply.header('content-type', PROBLEM_CONTENT_TYPE);
  void reply.send({ ...problem, instance });
}
