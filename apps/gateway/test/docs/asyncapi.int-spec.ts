import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import {
  createGatewayTopics,
  deleteGatewayTopics,
  TestGateway,
  type GatewayTopics,
} from '../support/gateway-harness';

const docs = join(__dirname, '..', '..', '..', '..', 'docs');

describe('the AsyncAPI routes of the gateway', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let gateway: TestGateway;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_asyncapi'),
      createGatewayTopics('gateway-asyncapi'),
    ]);
    gateway = await TestGateway.start(TestGateway.env(db.url, topics));
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  it('serves the checked-in AsyncAPI document as JSON at /asyncapi, without a token', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/asyncapi' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual(JSON.parse(readFileSync(join(docs, 'asyncapi.json'), 'utf8')));
  });

  it('serves the same document as YAML at /asyncapi.yaml, without a token', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/asyncapi.yaml' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(response.body).toBe(readFileSync(join(docs, 'asyncapi.yaml'), 'utf8'));
  });

  it('renders it as a page at /asyncapi/docs, linked from Swagger UI', async () => {
    const page = await gateway.inject({ method: 'GET', url: '/asyncapi/docs' });
    const openApi = await gateway.inject({ method: 'GET', url: '/docs-json' });

    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<code>user_events</code>');
    expect(page.body).toContain('<code>tenant.{tenantId}.{topic}</code>');
    expect(page.body).toContain('id="message-users.create_user"');
    expect(page.body).toContain('href="/docs"');
    expect(openApi.json<{ info: { description: string } }>().info.description).toContain(
      '(/asyncapi/docs)',
    );
  });

  it('keeps the AsyncAPI routes out of the HTTP API description', async () => {
    const openApi = await gateway.inject({ method: 'GET', url: '/docs-json' });

    expect(Object.keys(openApi.json<{ paths: object }>().paths)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/asyncapi/)]),
    );
  });
});
