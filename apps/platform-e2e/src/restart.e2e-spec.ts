import { performance } from 'node:perf_hooks';
import {
  createTestDatabase,
  uniqueName,
  waitFor,
  withAdmin,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess } from './support/app-process';

/** The reply group's state and member count, as the broker's group coordinator sees it. */
const replyGroup = (groupId: string) =>
  withAdmin(async (admin) => {
    const {
      groups: [group],
    } = await admin.describeGroups([groupId]);
    return { state: group?.state, members: group?.members.map((m) => m.memberId) ?? [] };
  });

/**
 * A gateway killed with SIGKILL leaves its member in the reply group until the member's session
 * expires. The restarted gateway must not wait for that to serve: it is ready as fast as after a
 * clean start, and the group records replies again once the dead member's session has expired.
 */
describe('gateway restart after a crash', () => {
  const sessionTimeoutMs = 10000;
  let db: TestDatabase;
  let gateway: AppProcess;
  const run = uniqueName('e2e-restart');
  const groupId = `${run}.replies`;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_restart');
    gateway = new AppProcess('gateway', 18240, {
      DATABASE_URL: db.url,
      KAFKA_CLIENT_ID: run,
      GATEWAY_REPLY_GROUP_ID: groupId,
      GATEWAY_REPLY_SESSION_TIMEOUT_MS: String(sessionTimeoutMs),
    }).start();
    await gateway.waitUntilReady();
    // The member to be killed is in the group, holding the reply partitions.
    await waitFor(async () => ((await replyGroup(groupId)).state === 'Stable' ? true : undefined), {
      timeoutMs: 30000,
      what: 'the reply group to be stable',
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await db?.drop();
  });

  it('is ready again within 10 s of a SIGKILL, and its reply group recovers within the session timeout', async () => {
    const { members: killed } = await replyGroup(groupId);
    expect(killed).toHaveLength(1);
    await gateway.stop('SIGKILL');
    const killedAt = performance.now();
    gateway.start();

    await gateway.waitUntilReady(30000);
    const readyAfterMs = performance.now() - killedAt;
    expect(readyAfterMs).toBeLessThan(10000);

    // The restarted member alone, once the broker gave up on the dead one.
    const recovered = await waitFor(
      async () => {
        const group = await replyGroup(groupId);
        const alone = group.members.length === 1 && !killed.includes(group.members[0] ?? '');
        return group.state === 'Stable' && alone ? group : undefined;
      },
      { timeoutMs: sessionTimeoutMs + 15000, intervalMs: 500, what: 'the reply group to recover' },
    );
    expect(recovered.members).toHaveLength(1);
  });
});
