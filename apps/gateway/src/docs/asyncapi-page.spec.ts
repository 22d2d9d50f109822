import { buildAsyncApiDocument, TOPIC_CATALOG } from '@event-hub/contracts';
import { renderAsyncApiPage } from './asyncapi-page';

describe('the AsyncAPI page', () => {
  const document = buildAsyncApiDocument();

  it('lists every channel with who writes and reads it, and links its messages', () => {
    const page = renderAsyncApiPage(document);

    for (const topic of TOPIC_CATALOG) expect(page).toContain(`<code>${topic.name}</code>`);
    expect(page).toMatch(
      /<code>user_events<\/code>[\s\S]*?<td>gateway<\/td>\s*<td>processor, monitor<\/td>/,
    );
    expect(page).toContain('<a href="#message-users.create_user">users.create_user</a>');
    expect(page).toContain('id="message-users.create_user"');
  });

  it('escapes what the document says, so a description cannot inject markup', () => {
    const hostile = structuredClone(document);
    hostile.info.description = '<script>alert(1)</script> & "quotes"';

    const page = renderAsyncApiPage(hostile);

    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
  });
});
